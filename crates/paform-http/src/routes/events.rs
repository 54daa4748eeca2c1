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
use paform_app::{App, Resume};
use tokio::sync::broadcast::error::RecvError;

use crate::extract::ApiQuery;

const HEARTBEAT: Duration = Duration::from_secs(15);

fn sse_event(event: &LiveEvent) -> Event {
    Event::default()
        .id(event.id.to_string())
        .event(event.kind.clone())
        .json_data(event)
        .unwrap_or_else(|_| Event::default().event("reset").data("{}"))
}

fn reset() -> Event {
    Event::default().event("reset").data("{}")
}

#[utoipa::path(get, path = "/api/events", tag = "events", params(EventsQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event")),
    responses((status = 200, description = "`text/event-stream`: events named `order`, `part`, `job`, `catalog`, `offcut` (data: a LiveEvent) or `reset` (refetch everything)",
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
        Resume::Reset => vec![reset()],
    };
    let live = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(event) => sse_event(&event),
            Err(RecvError::Lagged(_)) => reset(),
            Err(RecvError::Closed) => return None,
        };
        Some((event, receiver))
    });
    let stream = stream::iter(first).chain(live).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT))
}

#[utoipa::path(get, path = "/api/events/token", tag = "events",
    responses((status = 200, description = "A token for `GET /api/events?token=`, valid 60 s", body = EventsToken)))]
pub(crate) async fn events_token(State(app): State<App>) -> Json<EventsToken> {
    Json(app.events_token())
}
