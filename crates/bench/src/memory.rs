//! Peak heap memory of a run, counted exactly: [`PeakAllocator`] wraps the system allocator
//! and keeps the bytes live now and the most live since the last [`PeakAllocator::reset_peak`].
//!
//! The process's peak resident size (`/usr/bin/time`) is dominated by the loaded suite (all
//! 52 inputs' code, the 10,000 transactions of one batch) and moves by a few hundred KB from
//! run to run with what the allocator keeps; the difference between two EVMs running
//! snailtracer is smaller than that. Counting the bytes each allocation asks for, from just
//! before a run to its end, measures the run alone and gives the same number every time.
//! It does not count the allocator's own overhead or fragmentation.
//!
//! A binary installs it with `#[global_allocator]` (the `peak-memory` binary does, so that
//! the timing binaries keep the plain allocator):
//!
//! ```
//! use lamina_bench::PeakAllocator;
//!
//! #[global_allocator]
//! static ALLOCATOR: PeakAllocator = PeakAllocator::new();
//!
//! let (buffer, peak) = ALLOCATOR.peak_during(|| vec![0u8; 4096]);
//! assert_eq!(buffer.len(), 4096);
//! assert!(peak >= 4096);
//! ```

use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicUsize, Ordering},
};

/// The system allocator, counting the bytes live and their peak (see the module).
#[derive(Debug, Default)]
pub struct PeakAllocator {
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl PeakAllocator {
    /// An allocator with nothing counted yet.
    pub const fn new() -> Self {
        Self { live: AtomicUsize::new(0), peak: AtomicUsize::new(0) }
    }

    /// Bytes allocated and not yet freed.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    /// The most bytes live at once since the last [`Self::reset_peak`].
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Starts a new peak from the bytes live now.
    pub fn reset_peak(&self) {
        self.peak.store(self.live(), Ordering::Relaxed);
    }

    /// Runs `f`, and returns its result with the most bytes live during it beyond those live
    /// before it (what it kept and what it freed again, at their highest). Meant for one
    /// thread: allocations of other threads meanwhile count too.
    pub fn peak_during<T>(&self, f: impl FnOnce() -> T) -> (T, usize) {
        let before = self.live();
        self.reset_peak();
        let result = f();
        (result, self.peak().saturating_sub(before))
    }

    fn grew(&self, bytes: usize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    fn shrank(&self, bytes: usize) {
        self.live.fetch_sub(bytes, Ordering::Relaxed);
    }
}

// SAFETY: every request goes to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for PeakAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `layout` is passed on.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from this allocator (so from `System`) with `layout`.
        unsafe { System.dealloc(pointer, layout) };
        self.shrank(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` as the caller guarantees.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            // The size asked for changes; a block that moves briefly takes both, which
            // belongs to the allocator's overhead, not counted here.
            if new_size > layout.size() {
                self.grew(new_size - layout.size());
            } else {
                self.shrank(layout.size() - new_size);
            }
        }
        moved
    }
}
