//! The search index: every article split into units (its title, each sample question, its tags,
//! each paragraph of its body), each unit a bag of stemmed terms, with postings by sorted term
//! ([`Postings`]) so that prefixes (the word being typed) and typo candidates can be looked up.

use crate::answers::chars::CharIndex;
use crate::answers::encoded::Encoded;
use crate::answers::fusion::Fusion;
use crate::answers::kb::Article;
use crate::answers::meaning::Semantic;
use crate::answers::postings::{Postings, PostingsBuilder};
use crate::answers::text;
use crate::answers::unit::{Field, Unit};

/// The index over a knowledge base.
pub struct Index {
    /// The articles, in KB order.
    pub articles: Vec<Article>,
    /// All units.
    pub units: Vec<Unit>,
    /// term → (unit, term frequency), units ascending; and the number of articles with the term
    /// (IDF is over articles: a word in all ten sample questions of one article is what sets
    /// that article apart, not a common word).
    pub postings: Postings,
    /// Average unit length per field.
    pub avg_len: [f32; 4],
    /// Character trigrams of every unit.
    pub chars: CharIndex,
    /// Word meaning (embeddings), once [`Index::attach_meaning`] has been given a table.
    pub semantic: Option<Semantic>,
    /// The encoder's own vectors of the units, if the table carries them (for queries the
    /// encoder embeds: [`Index::search_with`]).
    pub encoded: Option<Encoded>,
    /// How the signals are weighed and how sure a top article is (learned from the KB).
    pub fusion: Fusion,
    /// Each unit's text (for meaning attached later).
    pub unit_texts: Vec<String>,
    /// Article `a`'s units are `first_unit[a]..first_unit[a + 1]` (units are in article order).
    pub first_unit: Vec<u32>,
}

/// Longest body paragraph indexed as one unit, in characters; longer ones are split.
const MAX_PARAGRAPH_CHARS: usize = 600;

fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut current = String::new();
        for sentence in para.split_inclusive(['.', '!', '?', '\n']) {
            if current.len() + sentence.len() > MAX_PARAGRAPH_CHARS && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(sentence);
        }
        if !current.trim().is_empty() {
            out.push(current);
        }
    }
    out
}

impl Index {
    /// Builds the index with the built-in weights (for a meaning table that brings its own).
    pub fn build_lexical(articles: Vec<Article>) -> Index {
        let mut units = Vec::new();
        let mut postings = PostingsBuilder::default();
        let mut len_sum = [0f32; 4];
        let mut len_n = [0f32; 4];
        let mut unit_texts: Vec<String> = Vec::new();
        for (a, article) in articles.iter().enumerate() {
            let mut texts: Vec<(Field, String)> = vec![(Field::Title, article.title.clone())];
            texts.extend(article.phrasings.iter().map(|p| (Field::Phrasing, p.clone())));
            if !article.tags.is_empty() {
                texts.push((Field::Tags, article.tags.join(" ")));
            }
            texts.extend(paragraphs(&article.body).into_iter().map(|p| (Field::Body, p)));
            for (field, text) in texts {
                let terms = text::terms(&text);
                if terms.is_empty() {
                    continue;
                }
                let unit = units.len() as u32;
                postings.add_unit(unit, &terms);
                len_sum[field.slot()] += terms.len() as f32;
                len_n[field.slot()] += 1.0;
                units.push(Unit { article: a as u32, field, len: terms.len().min(u16::MAX as usize) as u16 });
                unit_texts.push(text);
            }
        }
        let avg_len = std::array::from_fn(|i| if len_n[i] > 0.0 { len_sum[i] / len_n[i] } else { 1.0 });
        let postings = postings.finish(|unit| units[unit as usize].article);
        let mut first_unit = vec![0u32; articles.len() + 1];
        for u in &units {
            first_unit[u.article as usize + 1] += 1;
        }
        for a in 0..articles.len() {
            first_unit[a + 1] += first_unit[a];
        }
        let chars = CharIndex::build(unit_texts.iter().map(String::as_str));
        Index { articles, units, postings, avg_len, chars, semantic: None, encoded: None, fusion: Fusion::default(), unit_texts, first_unit }
    }

    /// Inverse document frequency of a term over articles (BM25's, always positive); terms
    /// the KB lacks get the largest value.
    pub fn idf(&self, term: &str) -> f32 {
        let n = self.articles.len() as f32;
        let df = self.postings.article_df(term) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}
