//! The lazily loaded part `meaning` (`crate::platform::lazy`): what makes search smarter after the panel
//! shows — reading the KB's meaning table, learning the signal weights from the KB's own
//! phrasings, and the encoder's view of the KB (`knowledge::encoder`). None of it is needed to show
//! the panel or to search by words, so it stays out of first open: the part is fetched when the
//! panel has shown and the KB is ready (`knowledge`).

use baton_core::answers::index::Index;
use baton_core::answers::fusion::Fusion;
use baton_core::answers::learn;
use baton_core::answers::meaning::Meaning;

/// Puts a parsed meaning table into the index; returns what could not be used, to be said.
pub type Attach = Box<dyn FnOnce(&mut Index) -> Option<String> + Send>;

/// Learns the weights of a KB without a table; `None` when they are the ones it has.
pub type Learn = fn(&Index) -> Option<Fusion>;

fn learned(index: &Index) -> Option<Fusion> {
    Some(learn::learn(index, learn::BUILD_SAMPLE)).filter(|f| *f != index.fusion)
}

crate::platform::lazy::lazy_part!(meaning,
    /// Reads a meaning table (in the `meaning` part); with `with_encoder`, its encoder section
    /// too. A table that cannot be used is an error saying why.
    pub fn table_part(text: String, with_encoder: bool) -> Result<Attach, String> {
        Ok(Meaning::from_json(&text).map(|(mut table, fusion)| {
            let section = table.encoder.take().filter(|_| with_encoder);
            Box::new(move |index: &mut Index| {
                index.attach_meaning(table, fusion);
                let section = section?;
                index.attach_encoder(&section).err().map(|why| format!("the encoder section could not be used ({why}); answers rank by the table's words"))
            }) as Attach
        }))
    }
);

crate::platform::lazy::lazy_part!(meaning,
    /// The learning of weights from a KB's phrasings (in the `meaning` part).
    pub fn learner() -> Learn {
        Ok(learned as Learn)
    }
);
