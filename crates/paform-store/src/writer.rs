//! Group commit. One thread owns all writing: it takes every write waiting in its queue,
//! runs them one after another in a single redb transaction, commits once (one fsync for
//! the group) and only then answers each caller. Under load this turns N fsyncs into one,
//! which is how durable writes reach thousands per second on an ordinary disk.
//!
//! A group that meets an I/O error (a full disk) is answered with that error, the database is
//! reopened at once (see `handle`) so reads go on, and the next group tries again: writes
//! resume by themselves once there is room.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};

use tokio::sync::oneshot;

use crate::handle::{Handle, Opened};
use crate::{Change, StoreError, WriteTx};

/// Hears the changes of every committed group, on the writer thread, before any caller of
/// the group is answered; a rolled-back group is never heard.
pub(crate) type CommitHook = Arc<OnceLock<Box<dyn Fn(&[Change]) + Send + Sync>>>;

/// The most writes one commit group takes, bounding the latency of the first in line.
const MAX_GROUP: usize = 256;

/// What a queued write leaves behind after running: how to answer its caller once the
/// group's commit has succeeded or failed.
type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
/// A queued write: runs against the group's transaction, says whether it failed after
/// writing (which forces the group to roll back), and hands back its reply. Given no
/// transaction (none could begin), it does not run and its reply carries the failure.
type Job = Box<dyn FnOnce(Option<&mut WriteTx>) -> (bool, Reply) + Send>;

pub(crate) struct Writer {
    queue: mpsc::Sender<Job>,
    pub(crate) hook: CommitHook,
}

impl Writer {
    pub(crate) fn spawn(database: Arc<Handle>) -> Writer {
        let (queue, jobs) = mpsc::channel::<Job>();
        let hook = CommitHook::default();
        let heard = Arc::clone(&hook);
        std::thread::Builder::new()
            .name("paform-store-writer".into())
            .spawn(move || run(&database, &jobs, &heard))
            .expect("the OS can start the store's writer thread");
        Writer { queue, hook }
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
        let job: Job = Box::new(move |transaction: Option<&mut WriteTx>| {
            let Some(transaction) = transaction else {
                let reply: Reply = Box::new(move |commit| {
                    let error = commit.err().unwrap_or(StoreError::WriterStopped);
                    let _ = answer.send(Err(E::from(error)));
                });
                return (false, reply);
            };
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

fn run(database: &Handle, jobs: &mpsc::Receiver<Job>, hook: &CommitHook) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(database, group, hook);
    }
}

/// Begins a write transaction on a usable generation.
fn begin(handle: &Handle) -> Result<(Arc<Opened>, WriteTx), StoreError> {
    let opened = handle.usable()?;
    let transaction = opened
        .begin_write()
        .map_err(|error| handle.explain(&opened, StoreError::from_redb(error)))?;
    Ok((opened, WriteTx::new(transaction)))
}

fn commit_group(handle: &Handle, group: Vec<Job>, hook: &CommitHook) {
    // A generation that failed since the last group is reopened by the second try.
    let (opened, mut transaction) = match begin(handle).or_else(|_| begin(handle)) {
        Ok(begun) => begun,
        Err(error) => {
            tracing::error!(%error, "cannot begin a write transaction");
            handle.note_failure(&error);
            // Nothing ran, so nothing is lost; each caller gets the failure.
            for job in group {
                let (_, reply) = job(None);
                reply(Err(clone_for_reply(&error)));
            }
            return;
        }
    };
    let mut replies = Vec::with_capacity(group.len());
    let mut must_roll_back = false;
    for job in group {
        let (failed_after_writing, reply) = job(Some(&mut transaction));
        must_roll_back |= failed_after_writing;
        replies.push(reply);
    }
    let changes = transaction.take_changes();
    let commit = if must_roll_back {
        let _ = transaction.into_inner().abort();
        Err(StoreError::GroupRolledBack)
    } else {
        transaction
            .into_inner()
            .commit()
            .map_err(|error| handle.explain(&opened, StoreError::from_redb(error)))
    };
    match &commit {
        Ok(()) => {
            handle.note_success();
            if let Some(hook) = hook.get()
                && !changes.is_empty()
                && catch_unwind(AssertUnwindSafe(|| hook(&changes))).is_err()
            {
                tracing::error!("the commit hook panicked");
            }
        }
        Err(error) => {
            tracing::error!(%error, "a commit group failed");
            if opened.failure().is_some() {
                handle.note_failure(error);
            }
        }
    }
    for reply in replies {
        reply(commit.as_ref().map(|_| ()).map_err(clone_for_reply));
    }
    // Reopen now rather than on the next write, so reads of uncached pages go on.
    if opened.failure().is_some() {
        drop(opened);
        let _ = handle.usable();
    }
}

/// Replies carry their own copy of a group failure; the source error stays in the log.
fn clone_for_reply(error: &StoreError) -> StoreError {
    match error {
        StoreError::GroupRolledBack => StoreError::GroupRolledBack,
        StoreError::DiskFull { dir } => StoreError::DiskFull { dir: dir.clone() },
        _ => StoreError::WriterStopped,
    }
}
