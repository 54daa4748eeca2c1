//! The convergence rule for deliveries about one entry: `supersedes` decides whether an
//! incoming delivery replaces the one whose effect is stored.
//!
//! Hygraph queues and retries, so deliveries arrive late, twice and out of order. The rule is
//! a strict total order on `Revision`s, and the stored revision is replaced only by a greater
//! one, so after any permutation of the same set of deliveries the stored revision is the
//! greatest of them: every order converges to the same state. The order, most significant
//! first:
//!
//! 1. A `delete` is greater than anything else. Hygraph never reuses an entry id, so whatever
//!    arrives after a delete is a late copy of something older, and must not resurrect it.
//!    This is also why a delete needs no `updatedAt`.
//! 2. `updatedAt`: an older version never overwrites a newer one (SPEC §7).
//! 3. `version`, when Hygraph sends one (absent sorts first). It separates a republish without
//!    edits from the unpublish before it, which can share an `updatedAt`.
//! 4. The operation, at equal time and version: `create < update < publish < unpublish <
//!    delete`. Taking the entry out wins a tie, because showing an entry Hygraph has
//!    withdrawn is worse than hiding one for the moment until its next edit.
//! 5. The delivery key, so that two different bodies never compare equal and the winner does
//!    not depend on arrival order. An identical body is the same delivery, a duplicate.
//!
//! Only deliveries that change the catalog (`publish`, `unpublish`, `delete`) should be
//! compared with what the catalog holds; a later draft `update` must not hide a late publish.
//! Create and update still have a place in the order so the rule stays total.

use std::cmp::Ordering;

use super::revision::{Operation, Revision};

/// True when `incoming` must replace `stored`; false for an older delivery and for a duplicate.
pub fn supersedes(incoming: &Revision, stored: &Revision) -> bool {
    compare(incoming, stored) == Ordering::Greater
}

fn compare(left: &Revision, right: &Revision) -> Ordering {
    let is_delete = |revision: &Revision| revision.operation == Operation::Delete;
    is_delete(left)
        .cmp(&is_delete(right))
        .then_with(|| left.updated_at.cmp(&right.updated_at))
        .then_with(|| left.version.cmp(&right.version))
        .then_with(|| rank(left.operation).cmp(&rank(right.operation)))
        .then_with(|| left.delivery_key.cmp(&right.delivery_key))
}

/// The tie-break between operations at equal time and version: removal wins.
fn rank(operation: Operation) -> u8 {
    match operation {
        Operation::Create => 0,
        Operation::Update => 1,
        Operation::Publish => 2,
        Operation::Unpublish => 3,
        Operation::Delete => 4,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use jiff::Timestamp;

    use super::*;

    const OPERATIONS: [Operation; 5] = [
        Operation::Create,
        Operation::Update,
        Operation::Publish,
        Operation::Unpublish,
        Operation::Delete,
    ];

    fn revision(
        seconds: Option<i64>,
        version: Option<u64>,
        operation: Operation,
        key: &str,
    ) -> Revision {
        Revision {
            updated_at: seconds
                .map(|s| Timestamp::from_second(s).expect("test second is in range")),
            version,
            operation,
            delivery_key: key.to_owned(),
        }
    }

    fn check(incoming: &Revision, stored: &Revision, expected: bool) {
        assert_eq!(
            supersedes(incoming, stored),
            expected,
            "{incoming:?} over {stored:?}"
        );
    }

    #[test]
    fn an_older_publish_never_overwrites_a_newer_one() {
        let newer = revision(Some(20), None, Operation::Publish, "b");
        let older = revision(Some(10), None, Operation::Publish, "a");
        check(&older, &newer, false);
        check(&newer, &older, true);
    }

    #[test]
    fn a_duplicate_delivery_does_not_supersede_itself() {
        let stored = revision(Some(10), Some(1), Operation::Publish, "a");
        check(&stored.clone(), &stored, false);
    }

    #[test]
    fn at_equal_time_removal_wins_over_publish() {
        let publish = revision(Some(10), None, Operation::Publish, "z");
        let unpublish = revision(Some(10), None, Operation::Unpublish, "a");
        check(&unpublish, &publish, true);
        check(&publish, &unpublish, false);
    }

    #[test]
    fn a_newer_publish_wins_over_an_older_unpublish() {
        let unpublish = revision(Some(10), None, Operation::Unpublish, "a");
        let republish = revision(Some(11), None, Operation::Publish, "b");
        check(&republish, &unpublish, true);
    }

    #[test]
    fn a_higher_version_breaks_a_tie_in_updated_at() {
        let unpublish = revision(Some(10), Some(1), Operation::Unpublish, "a");
        let republish = revision(Some(10), Some(2), Operation::Publish, "b");
        check(&republish, &unpublish, true);
    }

    #[test]
    fn a_delete_without_time_beats_any_later_publish_and_stays_deleted() {
        let delete = revision(None, None, Operation::Delete, "a");
        let late_publish = revision(Some(1_000_000), Some(9), Operation::Publish, "b");
        check(&delete, &late_publish, true);
        check(&late_publish, &delete, false);
    }

    #[test]
    fn different_bodies_at_the_same_time_and_operation_are_ordered_by_key() {
        let first = revision(Some(10), None, Operation::Publish, "aaaa");
        let second = revision(Some(10), None, Operation::Publish, "bbbb");
        check(&second, &first, true);
        check(&first, &second, false);
    }

    fn arbitrary_revisions() -> impl Strategy<Value = Vec<Revision>> {
        let one = (
            prop::option::of(0i64..3),
            prop::option::of(0u64..2),
            0usize..OPERATIONS.len(),
        );
        prop::collection::vec(one, 1..8).prop_map(|items| {
            items
                .into_iter()
                .enumerate()
                .map(|(index, (seconds, version, op_index))| {
                    let operation = OPERATIONS[op_index];
                    // Only a delete may lack a time, as `parse_delivery` guarantees for
                    // publish and unpublish.
                    let seconds = if operation == Operation::Delete {
                        seconds
                    } else {
                        seconds.or(Some(0))
                    };
                    revision(seconds, version, operation, &format!("{index:04}"))
                })
                .collect()
        })
    }

    fn converge(deliveries: &[Revision]) -> Revision {
        let mut stored = deliveries[0].clone();
        for incoming in &deliveries[1..] {
            if supersedes(incoming, &stored) {
                stored = incoming.clone();
            }
        }
        stored
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn every_arrival_order_converges_to_the_same_revision(
            (original, shuffled) in arbitrary_revisions()
                .prop_flat_map(|revisions| (Just(revisions.clone()), Just(revisions).prop_shuffle()))
        ) {
            prop_assert_eq!(converge(&original), converge(&shuffled));
        }

        #[test]
        fn supersedes_is_antisymmetric(revisions in arbitrary_revisions()) {
            for left in &revisions {
                for right in &revisions {
                    prop_assert!(!(supersedes(left, right) && supersedes(right, left)));
                }
            }
        }
    }
}
