//! `PeakAllocator` counts exactly the bytes allocations ask for, and their peak.

use lamina_bench::PeakAllocator;

#[global_allocator]
static ALLOCATOR: PeakAllocator = PeakAllocator::new();

#[test]
fn counts_the_bytes_asked_for_and_their_peak() {
    // One block of 1 MiB, freed again: the peak is exactly that block and nothing stays.
    let before = ALLOCATOR.live();
    let ((), peak) = ALLOCATOR.peak_during(|| drop(vec![7u8; 1 << 20]));
    assert_eq!(peak, 1 << 20);
    assert_eq!(ALLOCATOR.live(), before);

    // Two blocks live together count together; one freed before the other is allocated
    // does not.
    let ((), together) = ALLOCATOR.peak_during(|| {
        let a = vec![0u64; 1000];
        let b = vec![0u64; 3000];
        drop((a, b));
    });
    assert_eq!(together, 4000 * 8);
    let ((), apart) = ALLOCATOR.peak_during(|| {
        drop(vec![0u64; 1000]);
        drop(vec![0u64; 3000]);
    });
    assert_eq!(apart, 3000 * 8);

    // A block that grows and shrinks counts at its sizes; what the closure keeps counts.
    let (kept, grown) = ALLOCATOR.peak_during(|| {
        let mut buffer: Vec<u8> = Vec::with_capacity(100);
        buffer.reserve_exact(900);
        buffer.shrink_to(10);
        buffer
    });
    assert_eq!(grown, 900);
    assert_eq!(kept.capacity(), 10);
    assert_eq!(ALLOCATOR.live(), before + 10);
}
