//! The sentence encoder's own view of a KB, for queries that the encoder itself embeds (the
//! relay's `POST /v1/encode`, docs/answers.md, "Answers"): a meaning table can carry, beside its word
//! vectors, every unit's real embedding reduced to a few dozen dimensions, and the projection
//! that reduces a query's embedding the same way. A word table approximates the query from its
//! words; the encoder reads the whole sentence ("I don't want this card any more" is about
//! cancelling, not about cards), which is what ranks the right article first when words differ.

use crate::answers::fusion::{fusion_of, Fusion};
use crate::answers::meaning::Space;
use crate::answers::unit::Unit;
use crate::answers::vector::{base64_decode, dot, floats, normalise};
use serde_json::Value;

/// The name of the encoder the tools embed with (`baton-kb index`, the relay).
pub const MINILM: &str = "all-MiniLM-L6-v2";

/// The encoder's view matched with an index.
pub struct Encoded {
    /// The encoder's name, as the relay reports it.
    pub model: String,
    input_dims: usize,
    center: Vec<f32>,
    projection: Vec<f32>,
    /// The units' reduced embeddings and each article's sum.
    pub space: Space,
    /// How signals are weighed when the query's vector is the encoder's.
    pub fusion: Fusion,
}

impl Encoded {
    /// Reads a table's `encoder` section for an index of `units`; what is wrong is said — a
    /// section made for another version of the KB (other units) included. Also returns the
    /// weights learned with it at publish time, if any.
    pub(crate) fn from_value(v: &Value, units: &[Unit], articles: usize) -> Result<(Encoded, Option<Fusion>), String> {
        let count = |key: &str| v[key].as_u64().unwrap_or(0) as usize;
        let (input_dims, dims, unit_count) = (count("inputDims"), count("dims"), count("unitCount"));
        if !(1..=4096).contains(&input_dims) || !(1..=input_dims).contains(&dims) {
            return Err(format!("encoder: dims {dims} of {input_dims} are out of range"));
        }
        let center = floats(&v["center"]);
        let scales = floats(&v["scales"]);
        let projection = base64_decode(v["projection"].as_str().unwrap_or_default())?;
        let unit_bytes = base64_decode(v["units"].as_str().unwrap_or_default())?;
        if center.len() != input_dims || scales.len() != dims || projection.len() != dims * input_dims || unit_bytes.len() != unit_count * dims {
            return Err(format!("encoder: sizes do not match {dims} of {input_dims} dimensions and {unit_count} units"));
        }
        if unit_count != units.len() {
            return Err(format!("the encoder's vectors are for {unit_count} units, the KB now has {} (run baton-kb index again)", units.len()));
        }
        let projection = projection.chunks(input_dims).zip(&scales).flat_map(|(row, s)| row.iter().map(move |b| *b as i8 as f32 * s / 127.0)).collect();
        let mut unit_vecs: Vec<f32> = unit_bytes.iter().map(|b| *b as i8 as f32).collect();
        unit_vecs.chunks_mut(dims).for_each(|u| {
            normalise(u);
        });
        let space = Space::from_vectors(dims, unit_vecs, units, articles);
        let model = v["model"].as_str().unwrap_or_default().to_string();
        Ok((Encoded { model, input_dims, center, projection, space, fusion: Fusion::WITH_ENCODER }, fusion_of(&v["fusion"])))
    }

    /// A query's embedding (the encoder's, `input_dims` values) reduced like the units', unit
    /// length; `None` if it has the wrong size or no direction.
    pub fn project(&self, embedding: &[f32]) -> Option<Vec<f32>> {
        if embedding.len() != self.input_dims {
            return None;
        }
        let centred: Vec<f32> = embedding.iter().zip(&self.center).map(|(x, m)| x - m).collect();
        let mut p: Vec<f32> = self.projection.chunks(self.input_dims).map(|row| dot(row, &centred)).collect();
        normalise(&mut p).then_some(p)
    }

    /// Dimensions of the encoder's embeddings (what [`Encoded::project`] takes).
    pub fn input_dims(&self) -> usize {
        self.input_dims
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::kb::Article;
    use crate::answers::fusion::ANSWER_THRESHOLD;
    use crate::answers::index::Index;
    use crate::answers::meaning::{EncoderFile, Meaning, MeaningFile, FORMAT, VERSION};
    use crate::answers::rank::PageContext;
    use crate::answers::vector::base64_encode;

    fn article(id: &str, title: &str) -> Article {
        Article { id: id.into(), title: title.into(), ..Default::default() }
    }

    /// A KB of two one-unit articles, a word table that knows nothing, and an encoder section in
    /// which "input" dimension 0 means cancelling and 1 means paying (projected as they are).
    fn kb(unit_count: usize) -> (Index, Value) {
        let mut index = Index::build_lexical(vec![article("cancel", "Close your account"), article("card", "Update your card")]);
        let table = MeaningFile { format: FORMAT.into(), version: VERSION, source: "test".into(), dims: 2, words: vec![], weights: vec![], vectors: String::new(), expand: Default::default(), fusion: None, encoder: None };
        let (meaning, _) = Meaning::from_json(&serde_json::to_string(&table).unwrap()).unwrap();
        index.attach_meaning(meaning, None);
        let units: Vec<u8> = [[127i8, 0], [0, 127]].iter().flatten().map(|x| *x as u8).collect();
        let section = EncoderFile {
            model: MINILM.into(),
            input_dims: 3,
            dims: 2,
            center: vec![0.0; 3],
            projection: base64_encode(&[127u8, 0, 0, 0, 127, 0]),
            scales: vec![1.0, 1.0],
            unit_count,
            units: base64_encode(&units[..unit_count.min(2) * 2]),
            fusion: None,
        };
        (index, serde_json::to_value(section).unwrap())
    }

    #[test]
    fn the_encoders_vector_ranks_what_the_words_cannot() {
        let (mut index, section) = kb(2);
        index.attach_encoder(&section).unwrap();
        let ctx = PageContext::default();
        let q = "I don't want this card any more";
        assert_eq!(index.articles[index.search(q, &ctx, false, 2)[0].article].id, "card", "words: the card");
        // The encoder reads it as cancelling.
        let hits = index.search_with(q, Some(&[0.9, 0.1, 0.4]), &ctx, false, 2);
        assert_eq!(index.articles[hits[0].article].id, "cancel", "{hits:?}");
        assert!(hits[0].confidence > 0.0 && hits[0].confidence <= 1.0 && ANSWER_THRESHOLD > 0.0);
        // An embedding of another size is not used: the words decide.
        assert_eq!(index.articles[index.search_with(q, Some(&[1.0, 0.0]), &ctx, false, 2)[0].article].id, "card");
    }

    #[test]
    fn a_section_for_another_kb_or_malformed_is_refused_with_the_reason() {
        let (mut index, section) = kb(1);
        let why = index.attach_encoder(&section).unwrap_err();
        assert!(why.contains("for 1 units, the KB now has 2"), "{why}");
        assert!(index.encoded.is_none());
        let (mut index, mut section) = kb(2);
        section["scales"] = serde_json::json!([1.0]);
        assert!(index.attach_encoder(&section).unwrap_err().contains("sizes do not match"));
        section["projection"] = Value::from("!!");
        assert!(index.attach_encoder(&section).is_err());
        assert!(index.search_with("card", Some(&[0.0, 1.0, 0.0]), &PageContext::default(), false, 2).first().is_some(), "search goes on");
    }
}
