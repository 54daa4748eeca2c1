//! Orders: the status machine (`state`), the append-only payment ledger (`ledger`), the
//! pricing of order changes (`change`), the hash chain of the audit trail (`audit`) and the
//! fold of an order's events into the order (`projection`).
//!
//! Both are pure arithmetic over values the caller passes in: nothing here reads a clock,
//! touches storage or mutates a record. A status change or a payment record is only ever
//! *checked* here; the caller writes it, and everything else (payment status, amount paid,
//! balance due) is derived from what was written.
//!
//! This module also owns the closed sets of wire names (`draft`, `capture`, `refund`, …)
//! and the one error, `NameError`, that parsing any of them can return.

/// Declares a fieldless enum whose variants each have one lowercase wire name, with
/// `ALL`, `as_str`, `parse` and `Display`. The names live in exactly one place so that
/// `as_str` and `parse` cannot drift apart.
macro_rules! wire_names {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $($(#[$variant_meta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            const NAMES: &'static [&'static str] = &[$($text,)+];

            /// The wire name, the only spelling used outside the core.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses a wire name exactly (case-sensitive, no trimming).
            pub fn parse(text: &str) -> Result<$name, $crate::order::NameError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::order::NameError::Unknown {
                        what: $what,
                        value: text.to_owned(),
                        valid: Self::NAMES,
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod audit;
pub mod change;
pub mod ledger;
pub mod projection;
pub mod state;

/// A wire name that is not one of a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("unknown {what} {value:?}, expected one of: {}", valid.join(", "))]
    Unknown {
        what: &'static str,
        value: String,
        valid: &'static [&'static str],
    },
}
