//! The word index's postings: every term of the KB in sorted order, each with the units it
//! occurs in and the number of articles it occurs in.
//!
//! Sorted vectors rather than a `BTreeMap`: a term is found by binary search, the terms that
//! continue the word being typed are one contiguous run, and the wasm carries no B-tree code
//! for these types (each `BTreeMap<K, V>` is its own copy of it).

/// One posting: a unit and how often the term occurs in it.
pub type Posting = (u32, u16);

/// Terms, sorted, with their postings (units ascending) and article frequencies.
#[derive(Default)]
pub struct Postings {
    terms: Vec<String>,
    lists: Vec<Vec<Posting>>,
    article_df: Vec<u32>,
}

/// Collects postings unit by unit, in unit order; [`PostingsBuilder::finish`] sorts them.
#[derive(Default)]
pub struct PostingsBuilder {
    // term → slot in `lists`, while building (std's HashMap: found in O(1), sorted once at the end).
    slots: std::collections::HashMap<String, u32>,
    lists: Vec<Vec<Posting>>,
}

impl PostingsBuilder {
    /// Adds the terms of unit `unit` (units must come in ascending order).
    pub fn add_unit(&mut self, unit: u32, terms: &[String]) {
        let mut sorted: Vec<&str> = terms.iter().map(String::as_str).collect();
        crate::sort::ascending(&mut sorted);
        let mut i = 0;
        while i < sorted.len() {
            let term = sorted[i];
            let run = sorted[i..].iter().take_while(|t| **t == term).count();
            i += run;
            let tf = run.min(u16::MAX as usize) as u16;
            // Look up before inserting: most terms are already there, and a key is an allocation.
            let slot = match self.slots.get(term) {
                Some(&slot) => slot,
                None => {
                    let slot = self.lists.len() as u32;
                    self.slots.insert(term.to_string(), slot);
                    self.lists.push(Vec::new());
                    slot
                }
            };
            self.lists[slot as usize].push((unit, tf));
        }
    }

    /// Sorts the terms; `article_of(unit)` gives each unit's article, for article frequencies.
    pub fn finish(self, article_of: impl Fn(u32) -> u32) -> Postings {
        let mut terms: Vec<(String, u32)> = self.slots.into_iter().collect();
        crate::sort::by(&mut terms, |a, b| a.0.cmp(&b.0));
        let mut lists: Vec<Option<Vec<Posting>>> = self.lists.into_iter().map(Some).collect();
        let mut out = Postings::default();
        for (term, slot) in terms {
            let list = lists[slot as usize].take().unwrap_or_default();
            let mut df = 0u32;
            let mut last = u32::MAX;
            for &(unit, _) in &list {
                let a = article_of(unit);
                if a != last {
                    df += 1;
                    last = a;
                }
            }
            out.terms.push(term);
            out.lists.push(list);
            out.article_df.push(df);
        }
        out
    }
}

impl Postings {
    fn find(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }

    /// The postings of `term`, if the KB has it.
    pub fn get(&self, term: &str) -> Option<&[Posting]> {
        self.find(term).map(|i| self.lists[i].as_slice())
    }

    /// Whether the KB has `term`.
    pub fn contains(&self, term: &str) -> bool {
        self.find(term).is_some()
    }

    /// Number of articles `term` occurs in (0 for a term the KB lacks).
    pub fn article_df(&self, term: &str) -> u32 {
        self.find(term).map_or(0, |i| self.article_df[i])
    }

    /// The terms that start with `prefix`, in order.
    pub fn starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let start = self.terms.partition_point(|t| t.as_str() < prefix);
        self.terms[start..].iter().map(String::as_str).take_while(move |t| t.starts_with(prefix))
    }

    /// Every term, in order.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str)
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there is no term at all.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn terms_are_sorted_with_their_units_counts_and_article_frequencies() {
        let mut b = PostingsBuilder::default();
        b.add_unit(0, &words("pay card card"));
        b.add_unit(1, &words("card pin"));
        b.add_unit(2, &words("payout card"));
        // units 0 and 1 belong to article 0, unit 2 to article 1
        let p = b.finish(|u| if u < 2 { 0 } else { 1 });
        assert_eq!(p.terms().collect::<Vec<_>>(), ["card", "pay", "payout", "pin"]);
        assert_eq!(p.get("card"), Some(&[(0, 2), (1, 1), (2, 1)][..]));
        assert_eq!(p.article_df("card"), 2);
        assert_eq!(p.article_df("pin"), 1);
        assert_eq!(p.article_df("refund"), 0);
        assert!(p.contains("pay") && !p.contains("pa"));
        assert_eq!(p.starting_with("pa").collect::<Vec<_>>(), ["pay", "payout"]);
        assert_eq!(p.starting_with("pin").collect::<Vec<_>>(), ["pin"]);
        assert_eq!(p.starting_with("z").count(), 0);
        assert_eq!(p.len(), 4);
    }
}
