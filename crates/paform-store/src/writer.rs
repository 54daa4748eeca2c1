//! Group commit. One thread owns all writing: it takes every write waiting in its queue,
//! runs them one after another in a single redb transaction, commits once (one fsync for
//! the group) and only then answers each caller. Under load this turns N fsyncs into one,
//! which is how durable writes reach thousands per second on an ordinary disk.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc;

use redb::Database;
use tokio::sync::oneshot;

use crate::{StoreError, WriteTx};

/// The most writes one commit group takes, bounding the latency of the first in line.
const MAX_GROUP: usize = 256;

/// What a queued write leaves behind after running: how to answer its caller once the
/// group's commit has succeeded or failed.
type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// A queued write: runs against the group's transaction, says whether it failed after
/// writing (which forces the group to roll back), and hands back its reply.
type Job = Box<dyn FnOnce(&mut WriteTx) -> (bool, Reply) + Send>;

#[derive(Clone)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Job>,
}

impl Writer {
    pub(crate) fn spawn(database: Arc<Database>) -> Writer {
        let (queue, jobs) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("paform-store-writer".into())
            .spawn(move || run(&database, &jobs))
            .expect("the OS can start the store's writer thread");
        Writer { queue }
    }

    pub(crate) async fn submit<T, E>(
        &self,
        write: impl FnOnce(&mut WriteTx) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |transaction: &mut WriteTx| {
            let writes_before = transaction.writes();
            let outcome = catch_unwind(AssertUnwindSafe(|| write(transaction)));
            let wrote = transaction.writes() != writes_before;
            match outcome {
                Ok(Ok(value)) => {
                    let reply: Reply = Box::new(move |commit| {
                        let _ = answer.send(commit.map(|()| value).map_err(E::from));
                    });
                    (false, reply)
                }
                Ok(Err(error)) => {
                    let reply: Reply = Box::new(move |_| {
                        let _ = answer.send(Err(error));
                    });
                    (wrote, reply)
                }
                Err(_) => {
                    tracing::error!("a store write panicked; its commit group is rolled back");
                    let reply: Reply = Box::new(move |_| {
                        let _ = answer.send(Err(E::from(StoreError::GroupRolledBack)));
                    });
                    (true, reply)
                }
            }
        });
        if self.queue.send(job).is_err() {
            return Err(E::from(StoreError::WriterStopped));
        }
        answered
            .await
            .unwrap_or_else(|_| Err(E::from(StoreError::WriterStopped)))
    }
}

fn run(database: &Database, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(database, group);
    }
}

fn commit_group(database: &Database, group: Vec<Job>) {
    let mut transaction = match database.begin_write() {
        Ok(transaction) => WriteTx::new(transaction),
        Err(error) => {
            let error = StoreError::from_redb(error);
            tracing::error!(%error, "cannot begin a write transaction");
            // Each caller gets the failure; nothing ran, so nothing is lost.
            for job in group {
                fail_without_running(job);
            }
            return;
        }
    };
    let mut replies = Vec::with_capacity(group.len());
    let mut must_roll_back = false;
    for job in group {
        let (failed_after_writing, reply) = job(&mut transaction);
        must_roll_back |= failed_after_writing;
        replies.push(reply);
    }
    let commit = if must_roll_back {
        let _ = transaction.into_inner().abort();
        Err(StoreError::GroupRolledBack)
    } else {
        transaction
            .into_inner()
            .commit()
            .map_err(StoreError::from_redb)
    };
    if let Err(error) = &commit {
        tracing::error!(%error, "a commit group failed");
    }
    for reply in replies {
        reply(commit.as_ref().map(|_| ()).map_err(clone_for_reply));
    }
}

/// Replies carry their own copy of a group failure; the source error stays in the log.
fn clone_for_reply(error: &StoreError) -> StoreError {
    match error {
        StoreError::GroupRolledBack => StoreError::GroupRolledBack,
        _ => StoreError::WriterStopped,
    }
}

/// A job that could not run is answered by running it against nothing: impossible without a
/// transaction, so the caller's future is simply dropped and reports `WriterStopped`.
fn fail_without_running(job: Job) {
    drop(job);
}
