//! The searchable units articles are split into (title, each sample question, tags, each body
//! paragraph): what the index, meaning vectors and the encoder's view are all counted in.

/// Which part of an article a unit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The title.
    Title,
    /// One sample question.
    Phrasing,
    /// The tags, together.
    Tags,
    /// One paragraph of the body.
    Body,
}

impl Field {
    /// How much a match in this field counts, relative to a sample question.
    pub fn weight(self) -> f32 {
        match self {
            Field::Title => 1.0,
            Field::Phrasing => 1.0,
            Field::Tags => 0.6,
            Field::Body => 0.55,
        }
    }

    /// The field's position in per-field arrays.
    pub fn slot(self) -> usize {
        self as usize
    }
}

/// One searchable unit of an article.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Index of its article.
    pub article: u32,
    /// Where it comes from.
    pub field: Field,
    /// Number of terms.
    pub len: u16,
}
