//! Live updates (SPEC §12): `GET /api/events`, a Server-Sent Events stream of the app's
//! committed changes, resumable with `Last-Event-ID`, with a heartbeat comment every 15 s
//! so proxies and tablets keep the connection. A subscriber that falls too far behind, or
//! resumes from an id no longer held, gets a `reset` event and should refetch.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::stream::{self, StreamExt};
use paform_app::dto::{EventsQuery, EventsToken, LiveEvent};
use paform_app::{App, EventHub, Resume};
use tokio::sync::broadcast::error::RecvError;

use crate::extract::ApiQuery;

const HEARTBEAT: Duration = Duration::from_secs(15);

/// Every SSE event, `reset` included, has `id:` and `event:` lines and a LiveEvent as data.
fn sse_event(event: &LiveEvent) -> Event {
    let data = serde_json::to_string(event)
        .unwrap_or_else(|_| format!(r#"{{"id":{},"kind":"reset","subject":""}}"#, event.id));
    Event::default()
        .id(event.id.to_string())
        .event(event.kind.clone())
        .data(data)
}

#[utoipa::path(get, path = "/api/events", tag = "events", params(EventsQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event")),
    responses((status = 200, description = "`text/event-stream`: every event has an `id:` line, an `event:` line naming its kind (`order`, `part`, `job`, `catalog`, `offcut`, or `reset`: refetch everything, then resume after its id) and a LiveEvent of that id and kind as `data:`",
        content_type = "text/event-stream", body = LiveEvent),
        (status = 401, description = "No device token and no valid events token")))]
pub(crate) async fn events(
    State(app): State<App>,
    headers: HeaderMap,
    // Checked by the auth middleware; declared so the OpenAPI names it.
    ApiQuery(_query): ApiQuery<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let (resume, receiver) = app.events().subscribe(last_event_id);
    let first: Vec<Event> = match resume {
        Resume::Replay(events) => events.iter().map(sse_event).collect(),
        Resume::Reset { last_id } => vec![sse_event(&EventHub::reset_event(last_id))],
    };
    let hub_app = app.clone();
    let live = stream::unfold(receiver, move |mut receiver| {
        let app = hub_app.clone();
        async move {
            let event = match receiver.recv().await {
                Ok(event) => sse_event(&event),
                Err(RecvError::Lagged(_)) => sse_event(&app.events().reset_now()),
                Err(RecvError::Closed) => return None,
            };
            Some((event, receiver))
        }
    });
    let stream = stream::iter(first).chain(live).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT))
}

#[utoipa::path(get, path = "/api/events/token", tag = "events",
    responses((status = 200, description = "A token for `GET /api/events?token=`, valid 60 s", body = EventsToken)))]
pub(crate) async fn events_token(State(app): State<App>) -> Json<EventsToken> {
    Json(app.events_token())
}
