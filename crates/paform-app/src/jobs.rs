//! The production outbox (SPEC §5): jobs enqueued by an order's move to `production_ready`,
//! listed by consumers and acknowledged idempotently.

use paform_store::records::v3::JobRecord;
use paform_store::tables_v3::{JOBS, JOBS_BY_STATUS};

use crate::catalog::paging;
use crate::convert;
use crate::dto::{Job, JobListQuery, ListQuery, Page};
use crate::orders::JOB_KINDS;
use crate::production::PRODUCTION_COMPLETE;
use crate::{App, AppError};

const JOB_STATUSES: [&str; 2] = ["pending", "done"];

fn job_view(record: JobRecord) -> Job {
    Job {
        id: record.id,
        kind: record.kind,
        order_id: record.order_id,
        line_item_ids: record.line_item_ids,
        module_ids: record.module_ids,
        status: record.status,
        created_at: record.created_at,
        acked_at: record.acked_at,
    }
}

impl App {
    pub fn list_jobs(&self, query: &JobListQuery) -> Result<Page<Job>, AppError> {
        let paging = paging(&ListQuery {
            limit: query.limit,
            offset: query.offset,
            q: None,
        })?;
        let status = query.status.as_deref().unwrap_or("pending");
        if !JOB_STATUSES.contains(&status) {
            return Err(AppError::invalid_field("status", "must be pending or done"));
        }
        let listed: Vec<&str> = JOB_KINDS.into_iter().chain([PRODUCTION_COMPLETE]).collect();
        let kinds: Vec<&str> = match query.kind.as_deref() {
            None => listed,
            Some(kind) if listed.contains(&kind) => vec![kind],
            Some(_) => {
                return Err(AppError::invalid_field(
                    "kind",
                    "must be manufacturing, logistics or production_complete",
                ));
            }
        };
        self.store().read(|tx| {
            let mut ids = Vec::new();
            let mut total = 0;
            for kind in &kinds {
                let key = format!("{status}/{kind}");
                total += tx.index_len(&JOBS_BY_STATUS, &key)?;
                ids.extend(tx.index_ids(&JOBS_BY_STATUS, &key, 0, usize::MAX)?);
            }
            // Ids are UUID v7: sorting them lists jobs oldest first across kinds.
            ids.sort();
            let mut items = Vec::new();
            for id in ids.into_iter().skip(paging.offset).take(paging.limit) {
                if let Some(job) = tx.get(&JOBS, &id)? {
                    items.push(job_view(job));
                }
            }
            Ok(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// Marks a job done; acknowledging a done job again changes nothing.
    pub async fn ack_job(&self, id: &str) -> Result<Job, AppError> {
        let at = convert::timestamp(self.now());
        let id = id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                let mut job = tx
                    .get(&JOBS, &id)?
                    .ok_or_else(|| AppError::not_found("job", &id))?;
                if job.status == "pending" {
                    tx.index_remove(&JOBS_BY_STATUS, &format!("pending/{}", job.kind), &id)?;
                    tx.index_insert(&JOBS_BY_STATUS, &format!("done/{}", job.kind), &id)?;
                    job.status = "done".into();
                    job.acked_at = Some(at);
                    tx.insert(&JOBS, &id, &job)?;
                }
                Ok::<_, AppError>(job)
            })
            .await?;
        Ok(job_view(record))
    }
}
