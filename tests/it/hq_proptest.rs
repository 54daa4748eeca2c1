//! The push protocol under random faults (SPEC §15 Proof): batches dropped, their replies
//! lost, sent twice (also to two HQ instances at once), sent out of order, and HQ restarted,
//! in any interleaving. However they interleave, once the site has pushed until HQ
//! acknowledges its last entry: every entry is at HQ exactly once, nothing was quarantined,
//! every chain verifies, and the orders table equals the projection of `order_events`.

use paform_api::chain::PushBatch;
use paform_hq::{Hq, HqError};
use proptest::prelude::*;

use crate::hq_support::{Site, busy_site};
use crate::support::pg;

#[derive(Debug, Clone)]
enum Fault {
    /// The batch never reaches HQ.
    Dropped,
    /// HQ applies it; the reply never reaches the site.
    ReplyLost,
    /// Sent twice in a row.
    Duplicated,
    /// Sent to two HQ instances at once.
    Concurrent,
    /// HQ restarts (a new pool, migrations again) before the batch.
    Restart,
    /// Delivered normally.
    Delivered,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::Dropped),
        Just(Fault::ReplyLost),
        Just(Fault::Duplicated),
        Just(Fault::Concurrent),
        Just(Fault::Restart),
        Just(Fault::Delivered),
    ]
}

/// What the site learns from one push: the next `node_seq` to send, if it learns anything.
fn learned(result: Result<paform_api::chain::PushReply, HqError>) -> Option<u64> {
    match result {
        Ok(reply) => {
            assert!(reply.quarantined.is_empty(), "{:?}", reply.quarantined);
            Some(reply.held_seq + 1)
        }
        Err(HqError::Gap { expected_seq }) => Some(expected_seq),
        Err(other) => panic!("push failed: {other}"),
    }
}

async fn run(url: String, steps: Vec<(Fault, u64, u64)>, orders: usize) {
    let mut hq = Hq::open_with(&url, 4).await.expect("HQ opens");
    let mut other = Hq::open_with(&url, 4).await.expect("a second HQ opens");
    let node = hq
        .add_node("Lisbon", "showroom", Some("LIS"))
        .await
        .expect("a node");
    let mut site = Site::new(node.node_id.clone(), node.token, "LIS");
    busy_site(&mut site, orders);
    let n = site.log.len() as u64;
    // The site's cursor: the next node_seq it believes HQ needs.
    let mut next = 1u64;
    for (fault, offset, len) in steps {
        // A reordered batch starts anywhere, before or after the cursor.
        let from = ((next + offset).saturating_sub(3)).clamp(1, n);
        let to = (from + len).min(n);
        let batch: PushBatch = site.batch(from, to);
        match fault {
            Fault::Dropped => {}
            Fault::ReplyLost => {
                let _ = hq.push(&node.node_id, &batch).await;
            }
            Fault::Duplicated => {
                let _ = hq.push(&node.node_id, &batch).await;
                if let Some(seq) = learned(hq.push(&node.node_id, &batch).await) {
                    next = seq;
                }
            }
            Fault::Concurrent => {
                let (a, b) = tokio::join!(
                    hq.push(&node.node_id, &batch),
                    other.push(&node.node_id, &batch)
                );
                let (a, b) = (learned(a), learned(b));
                next = a.max(b).unwrap_or(next);
            }
            Fault::Restart => {
                hq = Hq::open_with(&url, 4).await.expect("HQ reopens");
                other = Hq::open_with(&url, 4).await.expect("HQ reopens");
                if let Some(seq) = learned(hq.push(&node.node_id, &batch).await) {
                    next = seq;
                }
            }
            Fault::Delivered => {
                if let Some(seq) = learned(hq.push(&node.node_id, &batch).await) {
                    next = seq;
                }
            }
        }
    }
    // Then the network heals: the site pushes from its cursor until HQ holds everything.
    let mut rounds = 0;
    while next <= n {
        rounds += 1;
        assert!(rounds < 100, "the push loop does not converge");
        let batch = site.batch(next, (next + 7).min(n));
        next = learned(hq.push(&node.node_id, &batch).await).expect("an answer");
    }
    let audit = hq.audit().await.expect("audit");
    assert!(audit.ok, "{audit:?}");
    assert_eq!(audit.log_entries, n, "every entry exactly once");
    assert_eq!(audit.quarantined, 0);
    assert_eq!(audit.orders, orders as u64);
    let restored = hq.restore(&node.node_id, 0, 5000).await.expect("restore");
    assert_eq!(
        restored.entries, site.log,
        "HQ holds exactly what the site wrote"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_interleaving_of_faults_converges_to_exactly_once(
        steps in prop::collection::vec((fault(), 0u64..8, 0u64..6), 1..14),
        orders in 1usize..5,
    ) {
        let Some(url) = pg::database() else { return Ok(()) };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(run(url, steps, orders));
    }
}
