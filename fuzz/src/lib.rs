//! What the fuzz targets share: the scenario decoder (the very file the proptest suite in
//! `tests/` uses, so a crashing input replays there too) and, for the differential target,
//! the same scenario run by revm and compared with Lamina's run.

#[path = "../../tests/src/reliability/scenario.rs"]
pub mod scenario;

pub mod differential;

/// A scenario is decoded by the shared decoder from whatever bytes the fuzzer gives: the
/// fuzz targets take a `Scenario` (and libFuzzer prints it on a crash), the proptest suite
/// feeds the same decoder, so one input means one scenario everywhere.
impl<'a> arbitrary::Arbitrary<'a> for scenario::Scenario {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let bytes = u.bytes(u.len())?;
        Ok(Self::generate(&mut scenario::Entropy::new(bytes)))
    }
}
