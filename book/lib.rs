//! The user guide's chapters as documentation, so `cargo test -p lamina-book` compiles and
//! runs every code block in them.

#[doc = include_str!("src/intro.md")]
pub mod intro {}

#[doc = include_str!("src/embed.md")]
pub mod embed {}

#[doc = include_str!("src/l2.md")]
pub mod l2 {}

#[doc = include_str!("src/statetests.md")]
pub mod statetests {}

#[doc = include_str!("src/trace.md")]
pub mod trace {}

#[doc = include_str!("src/performance.md")]
pub mod performance {}
