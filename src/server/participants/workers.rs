//! The participants' own threads on the workshop file: one writer and a few readers, each
//! with its own connection, beside (not in) the runtime's blocking pool, whose one thread
//! is kept for the CASE catalogs (see `server::run`).
//!
//! - The writer holds the only connection these pages change the file through, so changes
//!   still run one at a time, each as one IMMEDIATE transaction of the store's.
//! - Readers serve the pages, the queue, coverage and the event streams' checks side by
//!   side: in WAL mode a reader never waits for the writer nor the writer for it, and a
//!   read that starts after a commit sees it (a page after its form's redirect does).
//!
//! A request's work is a job sent to a thread; its answer comes back on a oneshot, so no
//! runtime thread ever waits on SQLite.
use crate::store::Workshop;
use anyhow::{Context, Result};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce(&mut Workshop) + Send>;

/// Readers beyond this bring nothing on the small hosts `crosswalk serve` runs on.
const MOST_READERS: usize = 4;

pub struct Workers {
    write: Sender<Job>,
    read: Sender<Job>,
}

impl Workers {
    /// Opens the writer's and the readers' connections to `db` (so a file that cannot be
    /// opened is refused now, not on the first request) and starts their threads. The
    /// threads end when the `Workers` is dropped and the jobs sent are done.
    pub fn start(db: &Path) -> Result<Workers> {
        let readers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, MOST_READERS);
        let open = || Workshop::open(db).with_context(|| format!("cannot open {}", db.display()));
        let (write, jobs) = channel::<Job>();
        spawn("writer", open()?, Arc::new(Mutex::new(jobs)))?;
        let (read, jobs) = channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..readers {
            spawn("reader", open()?, jobs.clone())?;
        }
        Ok(Workers { write, read })
    }

    /// Runs `f` on the writer's connection; `None` if it could not run to the end.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Workshop) -> T + Send + 'static,
    ) -> Option<T> {
        run(&self.write, f).await
    }

    /// Runs `f` on a reader's connection; `None` if it could not run to the end.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Workshop) -> T + Send + 'static,
    ) -> Option<T> {
        run(&self.read, f).await
    }
}

async fn run<T: Send + 'static>(
    to: &Sender<Job>,
    f: impl FnOnce(&mut Workshop) -> T + Send + 'static,
) -> Option<T> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |ws| {
        let _ = answer.send(f(ws));
    });
    to.send(job).ok()?;
    answered.await.ok()
}

/// A thread that takes jobs from `jobs` (shared with its fellow readers) until every
/// sender is gone. A job that panics loses its answer (the request gets an error page),
/// not the thread.
fn spawn(role: &str, mut ws: Workshop, jobs: Arc<Mutex<Receiver<Job>>>) -> Result<()> {
    std::thread::Builder::new()
        .name(format!("participants-{role}"))
        .spawn(move || {
            loop {
                let job = {
                    let jobs = jobs.lock().unwrap_or_else(|p| p.into_inner());
                    jobs.recv()
                };
                let Ok(job) = job else { return };
                if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut ws))).is_err() {
                    // Whoever was acting when it failed is nobody's business now.
                    let _ = ws.act_as(None);
                }
            }
        })
        .context("cannot start the participants' workers")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    #[tokio::test]
    async fn a_read_after_a_write_sees_it_and_a_panicking_job_loses_only_its_answer() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.sqlite");
        let workers = Workers::start(&db).unwrap();
        let added = workers
            .write(|ws| ws.add_participant("Ann", Role::Faculty).map(|p| p.name))
            .await;
        assert_eq!(added.unwrap().unwrap(), "Ann");
        // Every reader (on connections of their own) sees the commit once it is answered.
        for _ in 0..8 {
            let seen = workers.read(|ws| ws.participants().unwrap().len()).await;
            assert_eq!(seen, Some(1));
        }
        assert_eq!(workers.write(|_| -> usize { panic!("a bug") }).await, None);
        let still = workers
            .write(|ws| ws.add_participant("Sam", Role::EmployerSme).is_ok())
            .await;
        assert_eq!(still, Some(true), "the writer goes on after a panic");
    }
}
