//! The loader's early buffer: where raw page events wait until the widget's capture is there.
//! Each class of event has its own room, so that console noise never pushes out an error; a
//! repeat folds into the first one by its fold key. The widget holds events by the same rule
//! while its capture part loads, and `widget/loader.js` carries these values as generated from
//! here ([`loader_rules`]; a widget test fails when the two differ).

/// The raw event kinds the loader records, by class: console lines; errors, rejections and
/// failed resources; failed requests; navigation and clicks.
pub const CLASSES: [(&str, usize); 7] = [("con", 0), ("err", 1), ("rej", 1), ("res", 1), ("req", 2), ("nav", 3), ("click", 3)];
/// Events each class holds; what does not fit is counted (for clicks the oldest make room).
pub const ROOMS: [usize; 4] = [100, 100, 50, 100];
/// Longest fold key, in characters.
pub const MAX_FOLD_KEY_CHARS: usize = 300;

/// The class of a raw event kind; `None` for a kind the loader does not record.
pub fn class_of(kind: &str) -> Option<usize> {
    CLASSES.iter().find(|(k, _)| *k == kind).map(|(_, class)| *class)
}

/// The values `widget/loader.js` carries, by the name of their `/*rule:NAME*/` marker, as
/// JavaScript literals.
pub fn loader_rules() -> Vec<(&'static str, String)> {
    let classes: Vec<String> = CLASSES.iter().map(|(kind, class)| format!("{kind}: {class}")).collect();
    let rooms: Vec<String> = ROOMS.iter().map(usize::to_string).collect();
    vec![
        ("classes", format!("{{ {} }}", classes.join(", "))),
        ("rooms", format!("[{}]", rooms.join(", "))),
        ("foldKeyChars", MAX_FOLD_KEY_CHARS.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_class_with_room() {
        assert_eq!(class_of("click"), Some(3));
        assert_eq!(class_of("nonsense"), None);
        assert!(CLASSES.iter().all(|(_, c)| *c < ROOMS.len()));
        assert_eq!(loader_rules()[0].1, "{ con: 0, err: 1, rej: 1, res: 1, req: 2, nav: 3, click: 3 }");
    }
}
