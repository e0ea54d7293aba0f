//! A structured transaction of any of the five types on a small random pre-state and a
//! random fork, run by Lamina's handler: it must end in a result or a typed error and meet
//! every check of `Scenario::check` (the property the proptest suite samples).

#![no_main]

use lamina_fuzz::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|scenario: Scenario| {
    if let Err(failure) = scenario.check() {
        panic!("{failure}\n\nscenario: {scenario:#?}");
    }
});
