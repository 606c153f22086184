//! An append-only vector kept in chunks of about 64 KiB, for the run's message records:
//! growing it never moves what it holds, so a record's memory is written once, where a
//! `Vec` doubling copies everything to fresh memory (see docs/performance.md, profile 7).

use std::ops::{Index, IndexMut};

/// Bytes per chunk (a power of two elements of about this size).
const CHUNK_BYTES: usize = 1 << 16;

pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Chunked<T> {
    /// log2 of the elements per chunk (at least one).
    const SHIFT: u32 = {
        let per_chunk = CHUNK_BYTES / if size_of::<T>() == 0 { 1 } else { size_of::<T>() };
        if per_chunk == 0 { 0 } else { per_chunk.ilog2() }
    };
    const MASK: usize = (1 << Self::SHIFT) - 1;

    pub fn new() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        if self.len & Self::MASK == 0 {
            self.chunks.push(Vec::with_capacity(1 << Self::SHIFT));
        }
        self.chunks.last_mut().expect("a chunk with room").push(value);
        self.len += 1;
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> Self::SHIFT)?.get(i & Self::MASK)
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { chunks: &self.chunks, front: 0, back: self.len }
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Chunked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i >> Self::SHIFT][i & Self::MASK]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i >> Self::SHIFT][i & Self::MASK]
    }
}

impl<T> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut out = Chunked::new();
        iter.into_iter().for_each(|v| out.push(v));
        out
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// Elements `front..back` of a [`Chunked`].
pub struct Iter<'a, T> {
    chunks: &'a [Vec<T>],
    front: usize,
    back: usize,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter { chunks: self.chunks, front: self.front, back: self.back }
    }
}

impl<'a, T> Iter<'a, T> {
    fn at(&self, i: usize) -> &'a T {
        let shift = Chunked::<T>::SHIFT;
        &self.chunks[i >> shift][i & Chunked::<T>::MASK]
    }
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        (self.front < self.back).then(|| {
            self.front += 1;
            self.at(self.front - 1)
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.back - self.front, Some(self.back - self.front))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.at(self.back)
        })
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_pushed_in_order_across_chunks() {
        let n = 3 * (1 << Chunked::<u64>::SHIFT) + 5;
        let c: Chunked<u64> = (0..n as u64).collect();
        assert_eq!(c.len(), n);
        assert_eq!(c.chunks.len(), 4, "a chunk per 8 192 eight-byte elements");
        assert!((0..n).all(|i| c[i] == i as u64 && c.get(i) == Some(&(i as u64))));
        assert_eq!(c.get(n), None);
        assert!(c.iter().copied().eq(0..n as u64));
        assert!(c.iter().rev().copied().eq((0..n as u64).rev()));
        assert_eq!(c.iter().len(), n);
    }

    #[test]
    fn chunks_are_about_64_kib_and_never_move() {
        assert_eq!(1usize << Chunked::<[u8; 136]>::SHIFT, 256);
        assert_eq!(1usize << Chunked::<u32>::SHIFT, 16384);
        let mut c = Chunked::new();
        c.push(1u32);
        let first = &c[0] as *const u32;
        (0..100_000).for_each(|i| c.push(i));
        assert_eq!(first, &c[0] as *const u32);
    }
}
