//! Self-service answers, target-independent (no web-sys): the KB format and its validation,
//! text analysis, the index, and ranking with page context and an honest "no answer".
//! The same code runs natively (tests, `examples/eval.rs`) and in the wasm.

pub mod chars;
pub mod encoded;
pub mod fusion;
pub mod index;
pub mod kb;
pub mod learn;
pub mod markdown;
pub mod meaning;
pub mod outcome;
pub mod postings;
pub mod rank;
pub mod shown;
pub mod text;
pub mod unit;
pub mod vector;
