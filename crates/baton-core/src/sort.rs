//! One sort for the whole widget.
//!
//! std's sort is generic over the element type and the comparison, and every call site with its
//! own closure compiled its own copy of it into the wasm (a dozen copies, ~43 KB before
//! wasm-opt). Here a sort orders positions (`u32`) through one comparison object, so std's sort
//! exists once; the elements are then moved into place. Short slices, the common case on the
//! search path, use an insertion sort whose per-type copy is a few dozen instructions. Stable:
//! equal elements keep their order.

use std::cmp::Ordering;

/// Below this length an insertion sort is as fast as any and its code is tiny.
const SHORT: usize = 16;

/// Sorts `v` by `cmp`, stably.
pub fn by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() <= SHORT {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    positions(&mut order, &|a, b| cmp(&v[a as usize], &v[b as usize]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// Sorts `v` in ascending order, stably.
pub fn ascending<T: Ord>(v: &mut Vec<T>) {
    by(v, T::cmp);
}

// Not inlined: this is the one place std's sort is instantiated.
#[inline(never)]
fn positions(order: &mut [u32], cmp: &dyn Fn(u32, u32) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_short_and_long_vectors_stably() {
        for n in [0usize, 1, 2, 5, 16, 17, 40, 1000] {
            // (key, original position): many equal keys, so stability shows.
            let mut v: Vec<(u32, usize)> = (0..n).map(|i| (((i * 7919) % 13) as u32, i)).collect();
            let mut expected = v.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, expected, "n = {n}");
        }
        let mut words: Vec<String> = ["pear", "apple", "fig", "apple"].map(String::from).to_vec();
        ascending(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
        let mut scores = vec![0.5f32, 2.0, -1.0, 2.0];
        by(&mut scores, |a, b| b.total_cmp(a));
        assert_eq!(scores, [2.0, 2.0, 0.5, -1.0]);
    }
}
