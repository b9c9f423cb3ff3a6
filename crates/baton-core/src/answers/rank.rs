//! Ranking: BM25 over article units with typo tolerance and prefix matching, articles scored by
//! their best-matching unit plus a little from the next ones (several sample questions agreeing
//! is evidence), boosted by page context, with a confidence that says whether to show the top
//! article as the answer or to say honestly that nothing fits.

use crate::answers::fusion::{Candidate, Mode};
use crate::answers::index::Index;
use crate::answers::kb::{error_matches, route_matches};
use crate::answers::text;
use crate::answers::unit::Field;
use crate::answers::vector::dot;

const K1: f32 = 1.2;
const B: f32 = 0.4;
/// Query terms considered (longer queries are cut).
const MAX_QUERY_TERMS: usize = 16;
/// Prefix expansions of the word being typed.
const MAX_PREFIX_EXPANSIONS: usize = 20;

/// What Baton knows of the page, for ranking.
#[derive(Clone, Debug, Default)]
pub struct PageContext {
    /// Current path.
    pub route: Option<String>,
    /// Captured error messages, most relevant first.
    pub errors: Vec<String>,
}

/// What an article that fixes a captured error adds to confidence.
const ERROR_CONFIDENCE_BOOST: f32 = 0.15;

/// Articles whose nearest unit in meaning is computed per query.
const MEANING_NEAREST_CANDIDATES: usize = 40;

/// What to hide from a search (learning from the KB itself: a phrasing, or a whole article).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Leave {
    Nothing,
    Unit(u32),
    Article(u32),
}

/// Why an article ranked where it did.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// Its words match the query.
    Words,
    /// It applies to the current route.
    Route,
    /// It fixes a captured error (the error message).
    Error(String),
}

/// One ranked article.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Index into `Index::articles`.
    pub article: usize,
    /// Relevance score (comparable within one query).
    pub score: f32,
    /// 0..1: how sure Baton is that this is the answer; compare with [`crate::answers::fusion::ANSWER_THRESHOLD`].
    pub confidence: f32,
    /// Why it ranked.
    pub reasons: Vec<Reason>,
}

struct QueryTerm {
    /// (index term, weight) pairs this query word matches.
    expansions: Vec<(String, f32)>,
    /// Weight of the word in coverage: its IDF, or the maximum for words the KB lacks.
    idf: f32,
}

impl Index {
    fn expand(&self, word: &str, typing: bool) -> QueryTerm {
        let stem = text::stem(word);
        let mut expansions = Vec::new();
        if self.postings.contains(&stem) {
            expansions.push((stem.clone(), 1.0));
        }
        if typing && word.chars().count() >= 2 {
            // The word being typed: index terms that continue it (or that it continues).
            for term in self.postings.starting_with(word).take(MAX_PREFIX_EXPANSIONS) {
                if term != stem {
                    expansions.push((term.to_string(), 0.8));
                }
            }
        }
        let len = word.chars().count();
        if expansions.is_empty() && len >= 4 {
            let max = if len >= 8 { 2 } else { 1 };
            let first = word.chars().next();
            for term in self.postings.terms() {
                if term.chars().next() != first || term.len().abs_diff(stem.len()) > max {
                    continue;
                }
                let d = text::edit_distance(&stem, term, max).min(text::edit_distance(word, term, max));
                if d <= max {
                    expansions.push((term.to_string(), if d == 1 { 0.75 } else { 0.5 }));
                    if expansions.len() >= 10 {
                        break;
                    }
                }
            }
        }
        let idf = expansions
            .iter()
            .map(|(t, w)| self.idf(t) * w)
            .fold(None, |m: Option<f32>, v| Some(m.map_or(v, |m| m.max(v))))
            .unwrap_or_else(|| self.idf(""));
        QueryTerm { expansions, idf }
    }

    /// The candidate articles for `query` with their signals (see [`Candidate`]); `leave` hides
    /// a unit or an article, for learning from the KB itself.
    pub(crate) fn candidates(&self, query: &str, typing: bool, leave: Leave, vector: Option<&[f32]>) -> Vec<Candidate> {
        let left = |unit: u32| match leave {
            Leave::Nothing => false,
            Leave::Unit(u) => u == unit,
            Leave::Article(a) => self.units[unit as usize].article == a,
        };
        let all_words = text::words(query);
        let typing = typing && !query.ends_with(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
        let mut words: Vec<&String> = all_words.iter().filter(|w| !text::is_stop_word(w)).collect();
        if words.is_empty() {
            words = all_words.iter().collect();
        }
        words.truncate(MAX_QUERY_TERMS);
        let last = words.len().saturating_sub(1);
        let terms: Vec<QueryTerm> = words.iter().enumerate().map(|(i, w)| self.expand(w, typing && i == last)).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let total_idf: f32 = terms.iter().map(|t| t.idf).sum();

        // unit → best contribution of each query term, in dense arrays indexed by unit and article
        // (a hash map per posting was most of a query's time): `unit_slot[u]` is the row of unit
        // `u` in `contributions` (`terms.len()` values per row), in the order units were reached.
        let width = terms.len();
        let mut unit_slot = vec![u32::MAX; self.units.len()];
        let mut reached: Vec<u32> = Vec::new();
        let mut contributions: Vec<f32> = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            for (key, weight) in &term.expansions {
                let Some(postings) = self.postings.get(key) else { continue };
                let idf = self.idf(key);
                for &(unit, tf) in postings {
                    if left(unit) {
                        continue;
                    }
                    let u = &self.units[unit as usize];
                    let tf = tf as f32;
                    let norm = 1.0 - B + B * u.len as f32 / self.avg_len[u.field as usize];
                    let s = weight * idf * tf * (K1 + 1.0) / (tf + K1 * norm);
                    let row = match unit_slot[unit as usize] {
                        u32::MAX => {
                            unit_slot[unit as usize] = reached.len() as u32;
                            reached.push(unit);
                            contributions.resize(contributions.len() + width, 0.0);
                            reached.len() - 1
                        }
                        row => row as usize,
                    };
                    let slot = &mut contributions[row * width + i];
                    *slot = slot.max(s);
                }
            }
        }

        struct Acc {
            best: Vec<f32>,
            matched: Vec<bool>,
            best_unit_coverage: f32,
            chars: f32,
        }
        let new_acc = || Acc { best: Vec::new(), matched: vec![false; width], best_unit_coverage: 0.0, chars: 0.0 };
        // article → its accumulator, densely; `order` lists the articles reached, in that order.
        let mut accs: Vec<Option<Acc>> = (0..self.articles.len()).map(|_| None).collect();
        let mut order: Vec<u32> = Vec::new();
        let mut acc_of = |a: u32, accs: &mut Vec<Option<Acc>>| -> usize {
            if accs[a as usize].is_none() {
                accs[a as usize] = Some(new_acc());
                order.push(a);
            }
            a as usize
        };
        for (row, unit) in reached.iter().enumerate() {
            let contributions = &contributions[row * width..(row + 1) * width];
            let u = &self.units[*unit as usize];
            let score = contributions.iter().sum::<f32>() * u.field.weight();
            let coverage = contributions.iter().zip(&terms).filter(|(c, _)| **c > 0.0).map(|(_, t)| t.idf).sum::<f32>() / total_idf;
            let a = acc_of(u.article, &mut accs);
            let Some(acc) = accs[a].as_mut() else { continue };
            acc.best.push(score);
            for (m, c) in acc.matched.iter_mut().zip(contributions) {
                *m |= *c > 0.0;
            }
            let coverage = if u.field == Field::Body { coverage * 0.8 } else { coverage };
            acc.best_unit_coverage = acc.best_unit_coverage.max(coverage);
        }
        for (unit, sim) in self.chars.similarities(query) {
            if !left(unit) {
                let a = acc_of(self.units[unit as usize].article, &mut accs);
                if let Some(acc) = accs[a].as_mut() {
                    acc.chars = acc.chars.max(sim);
                }
            }
        }
        // The encoder's vector of the query compares with the encoder's vectors of the units;
        // the table's approximation from words, with the table's.
        let (space, query_vector) = match (vector, &self.encoded) {
            (Some(v), Some(e)) => (Some(&e.space), Some((v.to_vec(), 1.0))),
            _ => (self.semantic.as_ref().map(|s| &s.space), self.semantic.as_ref().and_then(|s| s.meaning.embed(query))),
        };
        if query_vector.is_some() {
            for a in 0..self.articles.len() as u32 {
                if !matches!(leave, Leave::Article(x) if x == a) {
                    acc_of(a, &mut accs);
                }
            }
        }
        let articles = order.into_iter().filter_map(|a| accs[a as usize].take().map(|acc| (a, acc)));

        let mut candidates: Vec<Candidate> = articles
            .into_iter()
            .map(|(a, mut acc)| {
                crate::sort::by(&mut acc.best, |x, y| y.total_cmp(x));
                let lexical = acc.best.first().map_or(0.0, |b| b + 0.3 * acc.best.get(1).unwrap_or(&0.0) + 0.15 * acc.best.get(2).unwrap_or(&0.0));
                let union = acc.matched.iter().zip(&terms).filter(|(m, _)| **m).map(|(_, t)| t.idf).sum::<f32>() / total_idf;
                let coverage = (0.6 * acc.best_unit_coverage + 0.4 * union).clamp(0.0, 1.0);
                let mut signals = [lexical, acc.chars, 0.0, 0.0];
                let mut known_share = 0.0;
                if let (Some((q, known)), Some(sem)) = (&query_vector, space) {
                    known_share = *known;
                    let without = match leave {
                        Leave::Unit(u) if self.units[u as usize].article == a => Some(u),
                        _ => None,
                    };
                    // Meaning counts as far as the table knows the query's words (not typos).
                    signals[2] = known * sem.centroid_similarity(q, a as usize, without);
                }
                Candidate { article: a, signals, coverage, known: known_share }
            })
            .collect();
        let top_lexical = candidates.iter().map(|c| c.signals[0]).fold(0f32, f32::max);
        if top_lexical > 0.0 {
            candidates.iter_mut().for_each(|c| c.signals[0] /= top_lexical);
        }
        // The nearest unit in meaning, for the most promising articles only (bounded cost): those
        // whose other signals reach the MEANING_NEAREST_CANDIDATES-th best.
        if let (Some((q, known)), Some(sem)) = (&query_vector, space) {
            let prior = |c: &Candidate| c.signals[0] + c.signals[1] + c.signals[2];
            let mut priors: Vec<f32> = candidates.iter().map(prior).collect();
            crate::sort::by(&mut priors, |x, y| y.total_cmp(x));
            let cutoff = priors.get(MEANING_NEAREST_CANDIDATES - 1).copied().unwrap_or(f32::MIN);
            let first_units = &self.first_unit;
            for c in candidates.iter_mut().filter(|c| prior(c) >= cutoff) {
                let range = first_units[c.article as usize]..first_units[c.article as usize + 1];
                c.signals[3] = known * range.filter(|u| !left(*u)).map(|u| dot(q, sem.unit(u))).fold(0f32, f32::max);
            }
        }
        candidates
    }

    /// Ranks articles for `query` in page context. `typing`: the last word may be incomplete.
    pub fn search(&self, query: &str, context: &PageContext, typing: bool, limit: usize) -> Vec<Hit> {
        self.rank(query, None, context, typing, limit)
    }

    /// [`Index::search`] with the sentence encoder's embedding of the query (the relay's
    /// `/v1/encode`), used when the KB's table has the encoder's view of its units; otherwise
    /// (or for an embedding of the wrong size) the same as `search`.
    pub fn search_with(&self, query: &str, embedding: Option<&[f32]>, context: &PageContext, typing: bool, limit: usize) -> Vec<Hit> {
        let projected = embedding.and_then(|e| self.encoded.as_ref()?.project(e));
        self.rank(query, projected, context, typing, limit)
    }

    /// Search, with the query's vector in the encoder's reduced space if there is one (so that
    /// `search` alone does not reach the projection: the widget's first module stays without it).
    fn rank(&self, query: &str, projected: Option<Vec<f32>>, context: &PageContext, typing: bool, limit: usize) -> Vec<Hit> {
        let (fusion, mode) = match (&projected, &self.encoded) {
            (Some(_), Some(e)) => (&e.fusion, Mode::Encoder),
            _ if self.semantic.is_some() => (&self.fusion, Mode::Table),
            _ => (&self.fusion, Mode::Words),
        };
        let candidates = self.candidates(query, typing, Leave::Nothing, projected.as_deref());
        if candidates.is_empty() {
            return if text::words(query).is_empty() { self.suggest(context, limit) } else { Vec::new() };
        }
        let mut hits: Vec<Hit> = candidates
            .iter()
            .map(|c| (fusion.score(c), c))
            .filter(|(score, _)| *score > 0.0)
            .map(|(score, c)| {
                let mut hit = Hit { article: c.article as usize, score, confidence: fusion.confidence(c, 0.0, mode), reasons: vec![Reason::Words] };
                self.apply_context(&mut hit, context);
                hit
            })
            .collect();
        crate::sort::by(&mut hits, |a, b| b.score.total_cmp(&a.score).then(a.article.cmp(&b.article)));
        // Confidence also reflects how clearly the top article beats the next one.
        let margin = match (hits.first(), hits.get(1)) {
            (Some(a), Some(b)) if a.score > 1e-6 => (a.score - b.score) / a.score,
            (Some(_), None) => 1.0,
            _ => 0.0,
        };
        if let Some(top) = hits.first_mut() {
            if let Some(c) = candidates.iter().find(|c| c.article as usize == top.article) {
                let boost = if top.reasons.iter().any(|r| matches!(r, Reason::Error(_))) { ERROR_CONFIDENCE_BOOST } else { 0.0 };
                top.confidence = (fusion.confidence(c, margin, mode) + boost).min(1.0);
            }
        }
        hits.truncate(limit);
        hits
    }

    fn apply_context(&self, hit: &mut Hit, context: &PageContext) {
        let article = &self.articles[hit.article];
        if let Some(route) = &context.route {
            if article.routes.iter().any(|p| route_matches(p, route)) {
                hit.score *= 1.25;
                hit.reasons.push(Reason::Route);
            }
        }
        if let Some(error) = context.errors.iter().find(|e| article.errors.iter().any(|p| error_matches(p, e))) {
            hit.score *= 1.5;
            hit.confidence = (hit.confidence + ERROR_CONFIDENCE_BOOST).min(1.0);
            hit.reasons.push(Reason::Error(error.clone()));
        }
    }

    /// Articles for the page as it is, before the user types: those fixing a captured error
    /// first, then those for the current route.
    pub fn suggest(&self, context: &PageContext, limit: usize) -> Vec<Hit> {
        let mut hits: Vec<Hit> = (0..self.articles.len())
            .filter_map(|a| {
                let mut hit = Hit { article: a, score: 1.0, confidence: 0.0, reasons: Vec::new() };
                self.apply_context(&mut hit, context);
                (!hit.reasons.is_empty()).then_some(hit)
            })
            .collect();
        crate::sort::by(&mut hits, |a, b| b.score.total_cmp(&a.score).then(a.article.cmp(&b.article)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fusion::ANSWER_THRESHOLD;
    use crate::answers::kb::Article;

    fn kb() -> Index {
        let a = |id: &str, title: &str, phrasings: &[&str], routes: &[&str], errors: &[&str]| Article {
            id: id.into(),
            title: title.into(),
            phrasings: phrasings.iter().map(|s| s.to_string()).collect(),
            routes: routes.iter().map(|s| s.to_string()).collect(),
            errors: errors.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        Index::build(vec![
            a("card", "Update your payment card", &["my card was declined", "change credit card"], &["/billing/*", "/billing"], &["payment * declined"]),
            a("invoice", "Send an invoice", &["how do I email an invoice to a client"], &["/invoices/*"], &[]),
            a("reminder", "Automatic payment reminders", &["remind clients to pay overdue invoices"], &[], &["reminders"]),
            a("export", "Export reports to CSV", &["download my data as a spreadsheet"], &["/reports"], &[]),
        ])
    }

    fn top(index: &Index, q: &str, ctx: &PageContext) -> (String, f32) {
        let hits = index.search(q, ctx, false, 5);
        (index.articles[hits[0].article].id.clone(), hits[0].confidence)
    }

    #[test]
    fn words_typos_and_prefixes() {
        let i = kb();
        let none = PageContext::default();
        assert_eq!(top(&i, "card declined", &none).0, "card");
        assert_eq!(top(&i, "how can I email invoices", &none).0, "invoice");
        assert_eq!(top(&i, "exprot to spredsheet", &none).0, "export", "typos");
        let typing = i.search("remi", &none, true, 5);
        assert_eq!(i.articles[typing[0].article].id, "reminder", "prefix of the word being typed");
    }

    #[test]
    fn confidence_separates_answers_from_out_of_scope() {
        let i = kb();
        let none = PageContext::default();
        let (_, sure) = top(&i, "my card was declined", &none);
        assert!(sure >= ANSWER_THRESHOLD, "{sure}");
        let hits = i.search("what is the weather in paris tomorrow", &none, false, 5);
        assert!(hits.first().is_none_or(|h| h.confidence < ANSWER_THRESHOLD), "{:?}", hits.first());
    }

    #[test]
    fn page_context_boosts_and_suggests() {
        let i = kb();
        let on_billing = PageContext { route: Some("/billing/plan".into()), errors: vec!["Payment was declined by the bank".into()] };
        let suggestions = i.suggest(&on_billing, 3);
        assert_eq!(i.articles[suggestions[0].article].id, "card");
        assert!(suggestions[0].reasons.contains(&Reason::Route));
        assert!(matches!(suggestions[0].reasons.last(), Some(Reason::Error(_))));
        // An ambiguous query leans towards the page's context.
        let (id, _) = top(&i, "payment", &on_billing);
        assert_eq!(id, "card");
        assert!(i.suggest(&PageContext::default(), 3).is_empty());
    }

    #[test]
    fn a_meaning_table_finds_what_shares_no_word_with_the_question() {
        use crate::answers::meaning::{Meaning, MeaningFile, FORMAT, VERSION};
        use crate::answers::vector::base64_encode;
        let mut index = kb();
        // Two made-up dimensions: paying (card, payment) and sending (email, invoice, client).
        let words = ["card", "payment", "email", "invoice", "client"];
        let vectors: Vec<u8> = [[127i8, 0], [120, 10], [0, 127], [10, 120], [5, 110]].iter().flat_map(|v| v.iter().map(|x| *x as u8)).collect();
        let file = MeaningFile {
            format: FORMAT.into(),
            version: VERSION,
            source: "test".into(),
            dims: 2,
            words: words.iter().map(|s| s.to_string()).collect(),
            weights: vec![40; 5],
            vectors: base64_encode(&vectors),
            expand: [("mail".to_string(), vec![40, 2, 90]), ("customer".to_string(), vec![40, 4, 80])].into_iter().collect(),
            fusion: None,
            encoder: None,
        };
        let (meaning, fusion) = Meaning::from_json(&serde_json::to_string(&file).unwrap()).unwrap();
        assert!(fusion.is_none());
        let q = "forward this to a customer";
        assert!(index.search(q, &PageContext::default(), false, 3).first().is_none_or(|h| index.articles[h.article].id != "invoice"), "words alone");
        index.attach_meaning(meaning, None);
        assert_eq!(top(&index, q, &PageContext::default()).0, "invoice");
        assert_eq!(top(&index, "card declined", &PageContext::default()).0, "card", "words still count");
        assert!(Meaning::from_json("{\"format\": \"baton-meaning\", \"version\": 9}").is_err());
    }
}
