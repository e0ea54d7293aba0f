//! The same pre-state, block and transaction run by Lamina and by revm 43: status, gas used,
//! refund, output, logs and the committed state must agree (see `lamina_fuzz::differential`).

#![no_main]

use lamina_fuzz::{differential, scenario::Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|scenario: Scenario| {
    differential::compare(scenario);
});
