//! The process's allocator: mimalloc, asked for plain blocks where Rust's alignment allows.
//!
//! The `mimalloc` crate hands every allocation to `mi_malloc_aligned`, whatever its
//! alignment. In mimalloc 3 that call takes a fast path only for blocks of at most 1 KiB;
//! every larger one (a boxed future of a resolver, a row buffer) goes through its generic
//! aligned path, which over-allocates and searches: by callgrind, 9 % of a list request's
//! instructions were in `mi_malloc_aligned`, a quarter of its calls on that slow path.
//! A block of mimalloc's is 16-byte aligned from 16 bytes up and 8-byte aligned below (its
//! smallest size class), so, as the system allocator of Rust's standard library does with
//! `malloc`, an alignment of at most 16 and at most the size (a power of two no larger than
//! the size: at most 8 below 16 bytes) is asked of `mi_malloc` itself; only a larger
//! alignment goes to the aligned calls.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every block of mimalloc's of at least this size has (`MI_MAX_ALIGN_SIZE`).
const PLAIN_ALIGN: usize = 16;

/// mimalloc as the global allocator (`#[global_allocator]` in `main.rs`).
pub struct Mimalloc;

/// Whether a block of `size` bytes from the plain calls is aligned to `align`.
fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: each call passes the layout's size (and alignment where it is larger than a
// plain block has) to mimalloc, which returns null or a block of at least that size and
// alignment; every block is freed by `mi_free`, which takes a block from any of them.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout.align(), layout.size()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's promise).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's promise); the
        // new block keeps the alignment as `alloc` would give it for `new_size`.
        unsafe {
            if plain(layout.align(), new_size) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every block is aligned as its layout asks, for the sizes and alignments either side
    /// of the plain calls' bounds, through allocation, zeroing, growth and shrinking.
    #[test]
    fn blocks_are_aligned_as_asked() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 15, 16, 17, 100, 1024, 1025, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                let aligned = |p: *mut u8| !p.is_null() && (p as usize).is_multiple_of(align);
                // SAFETY: non-zero sizes; each block is used within its size and freed once,
                // with the layout it has then.
                unsafe {
                    let z = a.alloc_zeroed(layout);
                    assert!(aligned(z), "zeroed {size} @ {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|b| *b == 0));
                    a.dealloc(z, layout);
                    for new_size in [size / 2 + 1, size * 3] {
                        let p = a.alloc(layout);
                        assert!(aligned(p), "{size} @ {align}");
                        p.write_bytes(0xA5, size);
                        let q = a.realloc(p, layout, new_size);
                        assert!(aligned(q), "{size} → {new_size} @ {align}");
                        let kept = std::slice::from_raw_parts(q, size.min(new_size));
                        assert!(kept.iter().all(|b| *b == 0xA5));
                        a.dealloc(q, Layout::from_size_align(new_size, align).expect("a layout"));
                    }
                }
            }
        }
    }
}
