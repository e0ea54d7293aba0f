//! Integration tests of Lamina's crates used together, as a downstream user would: the test
//! files are in `tests/tests/`. This library is empty.
