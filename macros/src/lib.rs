//! Procedural macros of retort: `#[derive(Table)]` and `embed_migrations!`.
use proc_macro::TokenStream;

#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

#[proc_macro]
pub fn embed_migrations(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
