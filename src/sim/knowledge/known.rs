//! What a unit knows: a bit per fact and the trail it learned each with.

use crate::sim::*;

/// What a unit knows: a bit per fact (fast membership for conferences and pictures)
/// and, for each fact it knows, the trail it had when it learned it (read when it passes
/// the fact on).
///
/// The trails are kept without hashing: the facts of a 64-fact word have a block in
/// `trails`, in fact order, so a fact's trail is at its word's block start plus the
/// number of known facts below it in the word. A block has room for 2, 4, … 64 trails;
/// a full one moves to a block twice as large, and the block it leaves is kept for the
/// next word that grows into its size. Learning is one bit, a shift of at most a block,
/// and rarely a move.
pub struct Known {
    /// Fact `f` is bit `f % 64` of word `f / 64`.
    words: Vec<Word>,
    trails: Vec<u32>,
    /// Blocks left by a move, by room (2, 4, … 32 trails): each a list linked through
    /// the first slot of its blocks ([`NONE`]: empty).
    free: [u32; 5],
}

impl Default for Known {
    fn default() -> Self {
        Known { words: vec![], trails: vec![], free: [NONE; 5] }
    }
}

/// 64 facts a unit may know, and where their trails start in [`Known::trails`]: the
/// two side by side in 12 bytes, so that learning and looking up a trail reach them
/// in one cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, packed(4))]
struct Word {
    bits: u64,
    start: u32,
}

/// Room in a block holding `n` trails: none for none, else a power of two, at least 2.
fn block_room(n: u32) -> u32 {
    if n == 0 { 0 } else { n.next_power_of_two().max(2) }
}

/// The free list of blocks with room for `room` (2, 4, … 32) trails.
fn room_class(room: u32) -> usize {
    room.trailing_zeros() as usize - 1
}

impl Known {
    #[inline]
    pub fn knows(&self, fact: u32) -> bool {
        self.bits(fact as usize / 64) & (1 << (fact % 64)) != 0
    }

    /// The known facts of word `word` (facts `64 * word` to `64 * word + 63`).
    #[inline]
    fn bits(&self, word: usize) -> u64 {
        self.words.get(word).map_or(0, |w| w.bits)
    }

    /// The known facts as bit words (fact `f` is bit `f % 64` of word `f / 64`).
    #[inline]
    pub fn words(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        self.words.iter().map(|w| w.bits)
    }

    /// The trail of `fact` at this unit, if it knows it.
    #[inline]
    pub fn trail(&self, fact: u32) -> Option<u32> {
        let (word, bit) = (fact as usize / 64, 1u64 << (fact % 64));
        let Word { bits, start } = *self.words.get(word)?;
        if bits & bit == 0 {
            return None;
        }
        let rank = (bits & (bit - 1)).count_ones();
        Some(self.trails[(start + rank) as usize])
    }

    /// Positions in `facts` of the facts this unit does not know, into `out` (cleared first).
    pub fn unknown_in(&self, facts: &Carrying, out: &mut Vec<usize>) {
        out.clear();
        if facts.words().is_empty() {
            out.extend((0..facts.len()).filter(|&i| !self.knows(facts[i].fact)));
            return;
        }
        // The list is in fact order: a fact's position is the number of facts in the
        // words before its word and of the bits below it in its word.
        let mut position = 0;
        for &(word, bits) in facts.words() {
            let mut new = bits & !self.bits(word as usize);
            while new != 0 {
                let below = (1u64 << new.trailing_zeros()) - 1;
                out.push(position + (bits & below).count_ones() as usize);
                new &= new - 1;
            }
            position += bits.count_ones() as usize;
        }
    }

    /// Records that the unit knows `fact` with `trail` (it must not know it yet).
    pub fn insert(&mut self, fact: u32, trail: u32) {
        let (word, bit) = (fact as usize / 64, 1u64 << (fact % 64));
        if self.words.len() <= word {
            self.words.resize(word + 1, Word::default());
        }
        let bits = self.words[word].bits;
        debug_assert!(bits & bit == 0, "a fact is learned once");
        let (n, rank) = (bits.count_ones(), (bits & (bit - 1)).count_ones() as usize);
        if n == block_room(n) {
            self.move_block(word, n);
        }
        let at = self.words[word].start as usize;
        if rank < n as usize {
            self.trails.copy_within(at + rank..at + n as usize, at + rank + 1);
        }
        self.trails[at + rank] = trail;
        self.words[word].bits = bits | bit;
    }

    /// Moves the full block of `word` (holding `n` trails) to one twice as large.
    fn move_block(&mut self, word: usize, n: u32) {
        let room = block_room(n + 1);
        let to = match room_class(room) {
            c if c < self.free.len() && self.free[c] != NONE => {
                let block = self.free[c];
                self.free[c] = self.trails[block as usize];
                block as usize
            }
            _ => {
                let end = self.trails.len();
                self.trails.resize(end + room as usize, NONE);
                end
            }
        };
        if n > 0 {
            let from = self.words[word].start as usize;
            self.trails.copy_within(from..from + n as usize, to);
            let c = room_class(n);
            self.trails[from] = self.free[c];
            self.free[c] = from as u32;
        }
        self.words[word].start = to as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn carrying(facts: &[u32]) -> Carrying {
        Carrying::from(facts.iter().map(|&fact| Carried { fact, trail: fact + 1 }).collect::<Vec<_>>())
    }

    #[test]
    fn long_dense_lists_in_fact_order_are_summarised_and_others_not() {
        let dense: Vec<u32> = (0..100).collect();
        assert_eq!(carrying(&dense).words(), &[(0, u64::MAX), (1, (1 << 36) - 1)]);
        let spread: Vec<u32> = (0..100).map(|f| f * 30).collect();
        assert!(carrying(&spread).words().is_empty());
        let reversed: Vec<u32> = (0..100).rev().collect();
        assert!(carrying(&reversed).words().is_empty());
        assert!(carrying(&dense[..15]).words().is_empty());
    }

    proptest! {
        /// Summarised or not, a list's unknown facts are those a fact-by-fact check finds.
        #[test]
        fn unknown_facts_are_found_by_the_words_as_one_by_one(
            carried in proptest::collection::btree_set(0u32..600, 0..300),
            known in proptest::collection::vec(0u32..700, 0..200),
            shuffle in any::<bool>(),
        ) {
            let mut list: Vec<u32> = carried.into_iter().collect();
            if shuffle {
                list.reverse();
            }
            let facts = carrying(&list);
            if shuffle && list.len() > 1 || list.len() < 16 {
                prop_assert!(facts.words().is_empty());
            }
            let mut unit = Known::default();
            for &f in &known {
                if !unit.knows(f) {
                    unit.insert(f, 0);
                }
            }
            let one_by_one: Vec<usize> = (0..list.len()).filter(|&i| !unit.knows(list[i])).collect();
            let mut unknown = vec![];
            unit.unknown_in(&facts, &mut unknown);
            prop_assert_eq!(unknown, one_by_one);
        }

        /// A unit's trail of each fact is the one it learned it with, whatever the order,
        /// with facts spread thin (blocks of 2 and 4) or dense (blocks moving up to 64
        /// and reusing the ones left behind).
        #[test]
        fn trails_are_found_as_learned(facts in proptest::collection::vec(0u32..2000, 0..600), dense in any::<bool>()) {
            let facts: Vec<u32> = facts.iter().map(|f| if dense { f % 320 } else { *f }).collect();
            let mut unit = Known::default();
            let mut expected = std::collections::HashMap::new();
            for (trail, &f) in facts.iter().enumerate() {
                if expected.contains_key(&f) {
                    continue;
                }
                unit.insert(f, trail as u32);
                expected.insert(f, trail as u32);
            }
            for f in 0..2100 {
                prop_assert_eq!(unit.trail(f), expected.get(&f).copied());
                prop_assert_eq!(unit.knows(f), expected.contains_key(&f));
            }
        }
    }
}
