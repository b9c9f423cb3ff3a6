//! Lazily loaded parts of the widget (docs/building.md, "How it is built"): what the first
//! screen does not need — the article view with its Markdown renderer, the form to reach a
//! person, the outbox that delivers it, guided flows, meaning tables — is compiled into the same
//! crate but moved by the release build into wasm modules of their own (`split_*.wasm`, by
//! `wasm_split_cli` from crates.io), fetched right after the panel first shows
//! (`panel::preload_parts`) or on first use, whichever comes first.
//!
//! [`lazy_part!`] declares such an entry point once. The widget's release build compiles with
//! `--cfg baton_split` (Makefile, `WIDGET_BUILD_ENV`), where the function becomes a split point
//! of Leptos's `wasm_split`; everywhere else (native tests, wasm-bindgen-test, debug builds) it is
//! a plain `async fn` with the same signature and the same body, so that both builds run the
//! same code. A part that cannot be fetched (offline, a dead CDN) is an `Err(NotLoaded)`, never
//! a trap: the caller says so and may try again (a failed load is not remembered).

/// A lazily loaded part could not be fetched or instantiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotLoaded;

#[cfg(baton_split)]
impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Declares `async fn $name(args) -> Result<T, NotLoaded>` whose body lives in the lazily loaded
/// part `$part`. The body itself returns `Result<T, NotLoaded>` (normally `Ok(..)`). With
/// `preload = name`, also `async fn name()`, which only fetches the part.
macro_rules! lazy_part {
    (@split [$($options:tt)*] $(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(baton_split)]
        #[::leptos::wasm_split::wasm_split($($options)*, wasm_split_path = ::leptos::wasm_split)]
        $(#[$m])* $vis fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::platform::lazy::NotLoaded> $body
        #[cfg(not(baton_split))]
        $(#[$m])* $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::platform::lazy::NotLoaded> $body
    };
    ($part:ident, preload = $preload:ident, $($function:tt)*) => {
        $crate::platform::lazy::lazy_part!(@split [$part, fallible, preload(#[doc = "Fetches the part without calling into it."] $preload)] $($function)*);
        /// Fetches the part without calling into it (nothing to fetch in this build).
        #[cfg(not(baton_split))]
        pub async fn $preload() -> ::core::result::Result<(), $crate::platform::lazy::NotLoaded> {
            Ok(())
        }
    };
    ($part:ident, $($function:tt)*) => {
        $crate::platform::lazy::lazy_part!(@split [$part, fallible] $($function)*);
    };
}
pub(crate) use lazy_part;
