//! rustfmt's layout of the column elements of a `create_table`, written here so that rustfmt
//! does not have to find it: on a thousand tables they are half of its work on an initial
//! revision. Each column element of a `create_table` statement goes to rustfmt as a
//! placeholder ident; rustfmt lays out the rest of the statement and puts each placeholder on a
//! line of its own, at the indentation the element's lines start at; [`Elided::restore`] then
//! writes the element there in rustfmt's layout.
//!
//! Only what these rules decide for certain is taken off rustfmt: an element built of calls of
//! literals and paths (`Column::new("id", SqlType::BigInt).not_null().comment("..")`), each
//! width of it at least [`MARGIN`] from every limit rustfmt compares it with, and only where
//! rustfmt's defaults apply (no rustfmt.toml, see `format::defaults_apply`). Anything else
//! stays in the statement for rustfmt. The rules are rustfmt's (chains.rs, overflow.rs and
//! lists.rs of rustfmt 1.x, whose default style is stable across versions): a chain whose root
//! is a call goes on one line when it fits the line and, with two links or more, `chain_width`;
//! else its root stays on the first line and each link goes on a line of its own, one
//! indentation further; a call of one literal or path keeps it on its line when it fits, a call
//! of more keeps them when they fit `fn_call_width`. The elements of a column list of two or
//! more that is wider than `array_width` each take a line of their own; only such a list is
//! given placeholders, and only where it stays that wide with them, so that rustfmt lays it out
//! one element a line either way, and what it decides for the rest of the statement does not
//! depend on what the elements hold.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

use super::format::token_line;

/// rustfmt's defaults that decide these layouts.
const MAX_WIDTH: usize = 100;
const TAB_SPACES: usize = 4;
const FN_CALL_WIDTH: usize = 60;
const CHAIN_WIDTH: usize = 60;
const ARRAY_WIDTH: usize = 60;

/// How far from each limit rustfmt compares a width with the width must be for the layout
/// here to be taken as rustfmt's (rustfmt counts some limits inclusive, some not, some with the
/// separator after an item): an element closer to one is left to rustfmt.
const MARGIN: usize = 3;

/// Where rustfmt puts the columns of a `create_table` statement of a fn body: the body's
/// indentation, the call's arguments', the list's elements'.
const COLUMNS_INDENT: usize = 3 * TAB_SPACES;

/// Every placeholder begins with this; no ident the renderer writes does.
const PREFIX: &str = "__retort_column_";

/// A placeholder's width at least: two of them are wider than `array_width` with its margin,
/// so that a list of them is laid out one a line, and each is still short, since rustfmt scans
/// the list's text for comments (the list's text is not its layout).
const PLACEHOLDER_WIDTH: usize = 34;

/// The column elements a draft's statements left out, by placeholder.
#[derive(Default)]
pub(super) struct Elided {
    chains: HashMap<String, Chain>,
}

/// A column element spelled as rustfmt spells what it keeps on one line: its root call and the
/// links after it (`.not_null()`).
struct Chain {
    root: String,
    links: Vec<String>,
}

impl Elided {
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.chains.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.chains.is_empty()
    }

    pub(super) fn extend(&mut self, other: Elided) {
        self.chains.extend(other.chains);
    }

    /// `statement` with the column elements of its `create_table`, if it is one, replaced by
    /// placeholders named after `name` (unique in the file), and the elements left out.
    /// Any other statement comes back as it was.
    pub(super) fn elide(&mut self, statement: TokenStream, name: &str) -> TokenStream {
        let mut trees: Vec<TokenTree> = statement.into_iter().collect();
        // op . create_table ( "name" , [ elements ] ) ..
        let is_create_table = matches!(
            trees.as_slice(),
            [TokenTree::Ident(op), TokenTree::Punct(dot), TokenTree::Ident(method), TokenTree::Group(_), ..]
                if op == "op" && dot.as_char() == '.' && method == "create_table"
        );
        if !is_create_table {
            return trees.into_iter().collect();
        }
        let TokenTree::Group(call) = &trees[3] else {
            return trees.into_iter().collect();
        };
        let args: Vec<TokenTree> = call.stream().into_iter().collect();
        let Some((TokenTree::Group(columns), head)) = args.split_last() else {
            return trees.into_iter().collect();
        };
        if call.delimiter() != Delimiter::Parenthesis
            || columns.delimiter() != Delimiter::Bracket
            || !matches!(head.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',')
        {
            return trees.into_iter().collect();
        }
        let elements = split_commas(columns.stream());
        // One element a line in rustfmt's layout of the statement as it is, for certain: the
        // elements with a separator of one character are wider than `array_width`, and there
        // are two at least (one alone stays on the list's line wherever it fits).
        let chains: Vec<Option<Chain>> = elements.iter().map(|e| Chain::of(e)).collect();
        let widths: Vec<usize> = elements
            .iter()
            .zip(&chains)
            .map(|(element, chain)| match chain {
                Some(chain) => chain.width(),
                None => token_line(element.iter().cloned().collect()).len(),
            })
            .collect();
        let one_line: usize = widths.iter().map(|width| width + 1).sum();
        if elements.len() < 2 || one_line <= ARRAY_WIDTH + MARGIN + 1 {
            return trees.into_iter().collect();
        }
        let placeholders: Vec<Option<String>> = chains
            .iter()
            .enumerate()
            .map(|(i, chain)| {
                let chain = chain.as_ref()?;
                chain.one_line(COLUMNS_INDENT)?;
                let placeholder = format!("{PREFIX}{name}_{i}");
                Some(format!("{placeholder:_<PLACEHOLDER_WIDTH$}"))
            })
            .collect();
        // And so is the statement rustfmt is given.
        let given: usize = placeholders
            .iter()
            .zip(&widths)
            .map(|(placeholder, width)| placeholder.as_ref().map_or(*width, String::len) + 1)
            .sum();
        if placeholders.iter().all(Option::is_none) || given <= ARRAY_WIDTH + MARGIN + 1 {
            return trees.into_iter().collect();
        }
        let mut kept = TokenStream::new();
        for (i, ((element, chain), placeholder)) in elements
            .into_iter()
            .zip(chains)
            .zip(placeholders)
            .enumerate()
        {
            if i > 0 {
                kept.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
            }
            match (chain, placeholder) {
                (Some(chain), Some(placeholder)) => {
                    kept.extend([TokenTree::Ident(Ident::new(
                        &placeholder,
                        Span::call_site(),
                    ))]);
                    self.chains.insert(placeholder, chain);
                }
                _ => kept.extend(element),
            }
        }
        let mut new_args: TokenStream = head.iter().cloned().collect();
        new_args.extend([TokenTree::Group(Group::new(Delimiter::Bracket, kept))]);
        trees[3] = TokenTree::Group(Group::new(Delimiter::Parenthesis, new_args));
        trees.into_iter().collect()
    }

    /// rustfmt's `formatted` with each placeholder line replaced by its element, or `None`
    /// where a placeholder is not alone on its line, is missing or repeated, or its element
    /// cannot be laid out for certain at the indentation rustfmt gave it: then the file must
    /// be formatted without placeholders.
    pub(super) fn restore(&self, formatted: &str) -> Option<String> {
        let mut out = String::with_capacity(formatted.len() * 2);
        let mut restored = std::collections::HashSet::new();
        for line in formatted.split_inclusive('\n') {
            let text = line.trim_start_matches(' ');
            if !text.contains(PREFIX) {
                out.push_str(line);
                continue;
            }
            let placeholder = text.strip_suffix(",\n")?;
            let chain = self.chains.get(placeholder)?;
            if !restored.insert(placeholder) {
                return None;
            }
            out.push_str(&chain.layout(line.len() - text.len())?);
            out.push_str(",\n");
        }
        (restored.len() == self.chains.len()).then_some(out)
    }
}

/// `tokens` split at their top-level commas, without an empty last piece.
fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut pieces = vec![Vec::new()];
    for tree in tokens {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(Vec::new()),
            _ => pieces.last_mut().expect("one piece at least").push(tree),
        }
    }
    if pieces.last().is_some_and(Vec::is_empty) {
        pieces.pop();
    }
    pieces
}

impl Chain {
    /// `element` as a chain of calls of literals and paths, `None` for anything else (a
    /// struct literal, an array, a closure, a macro, a non-ASCII literal, whose layouts are
    /// rustfmt's to find).
    fn of(trees: &[TokenTree]) -> Option<Chain> {
        // The root: a path and its call, `Column::new(..)`.
        let mut i = 0;
        loop {
            match (trees.get(i), trees.get(i + 1), trees.get(i + 2)) {
                (
                    Some(TokenTree::Ident(_)),
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                ) if a.as_char() == ':' && b.as_char() == ':' => i += 3,
                (Some(TokenTree::Ident(_)), Some(TokenTree::Group(_)), _) => {
                    i += 2;
                    break;
                }
                _ => return None,
            }
        }
        let TokenTree::Group(args) = &trees[i - 1] else {
            return None;
        };
        let root = spelled_call(&trees[..i], args)?;
        let mut chain = Chain {
            root,
            links: Vec::new(),
        };
        // The links: `.name(..)`.
        while i < trees.len() {
            let (TokenTree::Punct(dot), TokenTree::Ident(name), TokenTree::Group(args)) =
                (trees.get(i)?, trees.get(i + 1)?, trees.get(i + 2)?)
            else {
                return None;
            };
            // A callee shorter than a tab is combined with its argument (overflow.rs).
            if dot.as_char() != '.' || name.to_string().len() + 1 < TAB_SPACES {
                return None;
            }
            chain.links.push(spelled_call(&trees[i..i + 3], args)?);
            i += 3;
        }
        Some(chain)
    }

    /// The element's width on one line.
    fn width(&self) -> usize {
        self.root.len() + self.links.iter().map(String::len).sum::<usize>()
    }

    /// Whether rustfmt puts the element on one line at `indent` (followed in its list by a
    /// comma), or its links on lines of their own: `None` where a width is too close to one
    /// of rustfmt's limits to be sure.
    fn one_line(&self, indent: usize) -> Option<bool> {
        let clear = |width: usize, limit: usize| width + MARGIN <= limit;
        // The element's shape: the rest of the line but its comma.
        let width = MAX_WIDTH.checked_sub(indent + 1)?;
        let limit = match self.links.len() {
            0 | 1 => width,
            _ => width.min(CHAIN_WIDTH),
        };
        // Links are laid out on lines of their own before rustfmt tries one line for all.
        let link_indent = indent + TAB_SPACES;
        let (last, middle) = self
            .links
            .split_last()
            .map_or((None, &[][..]), |(l, m)| (Some(l), m));
        let links_fit = middle
            .iter()
            .all(|link| clear(link_indent + link.len(), MAX_WIDTH))
            && last.is_none_or(|link| clear(link_indent + link.len() + 1, MAX_WIDTH));
        if !links_fit || !clear(self.root.len(), width) {
            return None;
        }
        let total = self.width();
        if clear(total, limit) {
            Some(true)
        } else {
            (total >= limit + MARGIN).then_some(false)
        }
    }

    /// The element's lines at `indent` ([`Chain::one_line`]).
    fn layout(&self, indent: usize) -> Option<String> {
        let one_line = self.one_line(indent)?;
        let mut lines = " ".repeat(indent);
        lines.push_str(&self.root);
        for link in &self.links {
            if !one_line {
                lines.push('\n');
                lines.extend(std::iter::repeat_n(' ', indent + TAB_SPACES));
            }
            lines.push_str(link);
        }
        Some(lines)
    }
}

/// The call `tokens` (a callee and its arguments, `args`) spelled on one line, when rustfmt
/// keeps its arguments on its line, for certain, wherever the line has room for them: one
/// literal or path, or arguments clear of `fn_call_width`, each a literal, a path, a negative
/// number or a call (or method call) of such arguments (whose own arguments are narrower).
fn spelled_call(tokens: &[TokenTree], args: &Group) -> Option<String> {
    let single_plain = args_shape(args)?;
    let spelled = token_line(tokens.iter().cloned().collect());
    // The callee has no `(`; the arguments are all but it and the parentheses.
    let width = spelled.len() - spelled.find('(')? - 2;
    (spelled.is_ascii() && (single_plain || width + MARGIN <= FN_CALL_WIDTH)).then_some(spelled)
}

/// Whether each of the call's arguments `args` is a literal, a path, a negative number or a
/// call (or method call) of such arguments: `Some(true)` for one literal or path alone,
/// `None` for anything else.
fn args_shape(args: &Group) -> Option<bool> {
    if args.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    // Where the current argument is, its first token at 0; and how many there are.
    let (mut at, mut count, mut grouped) = (0, 0, false);
    for tree in args.stream() {
        let ok = match &tree {
            TokenTree::Literal(_) => true,
            TokenTree::Ident(ident) => ident != "as" && ident != "move",
            TokenTree::Punct(p) => match p.as_char() {
                ',' if at > 0 => {
                    at = 0;
                    continue;
                }
                ':' | '.' => true,
                '-' => at == 0,
                _ => false,
            },
            // A call's arguments, after its callee.
            TokenTree::Group(group) => {
                grouped = true;
                at > 0 && args_shape(group).is_some()
            }
        };
        if !ok {
            return None;
        }
        if at == 0 {
            count += 1;
        }
        at += 1;
    }
    Some(count == 1 && !grouped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn chain(tokens: TokenStream) -> Chain {
        Chain::of(&tokens.into_iter().collect::<Vec<_>>()).expect("a chain")
    }

    #[test]
    fn elements_are_chains_of_calls_of_literals_and_paths() {
        let c = chain(quote! { Column::new("id", SqlType::BigInt).primary_key().comment("k") });
        assert_eq!(c.root, r#"Column::new("id", SqlType::BigInt)"#);
        assert_eq!(c.links, [".primary_key()", r#".comment("k")"#]);
        let c = chain(quote! { Column::new("g", SqlType::Custom("geometry".into())) });
        assert_eq!(
            c.root,
            r#"Column::new("g", SqlType::Custom("geometry".into()))"#
        );
        for left in [
            quote! { Column::new("n", SqlType::Numeric { precision: Some(5), scale: None }) },
            quote! { Column::new("a", SqlType::Array(Box::new(SqlType::Text))).x(|c| c) },
            quote! { Column::new("a", SqlType::Text).default(&x) },
            quote! { Column::new("a", SqlType::Text).id() },
            quote! { Column::new("é", SqlType::Text) },
            quote! { column!("a") },
        ] {
            assert!(
                Chain::of(&left.clone().into_iter().collect::<Vec<_>>()).is_none(),
                "{left}"
            );
        }
    }

    #[test]
    fn layouts_near_a_limit_are_left_to_rustfmt() {
        // 34 + 11 wide, one link: one line where it fits the line but its comma.
        let c = chain(quote! { Column::new("id", SqlType::BigInt).not_null() });
        let at = |indent: usize| c.layout(indent).map(|text| text.lines().count());
        assert_eq!(
            c.layout(12).as_deref(),
            Some(r#"            Column::new("id", SqlType::BigInt).not_null()"#)
        );
        assert_eq!(at(99 - 45 - MARGIN), Some(1));
        for near in 99 - 45 - MARGIN + 1..99 - 45 + MARGIN {
            assert_eq!(at(near), None, "{near}");
        }
        assert_eq!(at(99 - 45 + MARGIN), Some(2));
        assert_eq!(at(99 - 34 - MARGIN), Some(2));
        assert_eq!(at(99 - 34 - MARGIN + 1), None);
        // Two links: one line only within `chain_width`.
        let c = chain(quote! { Column::new("a", SqlType::Text).not_null().comment("k") });
        assert_eq!(c.layout(12).map(|text| text.lines().count()), Some(1));
        let c = chain(quote! { Column::new("ident", SqlType::Text).not_null().comment("k") });
        assert_eq!(c.layout(12), None);
        let c = chain(quote! { Column::new("identities", SqlType::Text).not_null().comment("k") });
        assert_eq!(
            c.layout(12).as_deref(),
            Some(concat!(
                r#"            Column::new("identities", SqlType::Text)"#,
                "\n                .not_null()",
                "\n                .comment(\"k\")",
            ))
        );
    }

    #[test]
    fn only_lists_laid_out_one_element_a_line_get_placeholders() {
        let mut elided = Elided::default();
        for kept in [
            quote! { op.create_table("t", [Column::new("id", SqlType::BigInt)])?; },
            quote! { op.create_table("t", [Column::new("a", SqlType::Date), Column::new("b", SqlType::Date)])?; },
            quote! { op.add_column("t", Column::new("a", SqlType::Date).comment("a long enough comment"))?; },
        ] {
            assert_eq!(
                elided.elide(kept.clone(), "u0").to_string(),
                kept.to_string()
            );
        }
        assert!(elided.is_empty());
        let statement = quote! {
            op.create_table("t", [
                Column::new("id", SqlType::BigInt).primary_key(),
                Column::new("n", SqlType::Numeric { precision: Some(5), scale: None }),
                Column::new("email", SqlType::Varchar(255)).not_null(),
            ])?;
        };
        let given = elided.elide(statement, "u7").to_string();
        assert_eq!(given.matches(PREFIX).count(), 2, "{given}");
        assert!(given.contains("SqlType :: Numeric"), "{given}");
        assert_eq!(elided.len(), 2);
        let [first, second] = ["u7_0", "u7_2"].map(|id| format!("{PREFIX}{id:_<18}"));
        let formatted = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
        let restored = elided.restore(&formatted(&[
            "    op.create_table(",
            &format!("            {first},"),
            &format!("            {second},"),
        ]));
        assert_eq!(
            restored.as_deref(),
            Some(concat!(
                "    op.create_table(\n",
                "            Column::new(\"id\", SqlType::BigInt).primary_key(),\n",
                "            Column::new(\"email\", SqlType::Varchar(255)).not_null(),\n",
            ))
        );
        // Missing, repeated, or not alone on its line: formatted again without placeholders.
        for lines in [
            vec![format!("            {first},")],
            vec![
                format!("            {first},"),
                format!("            {first},"),
            ],
            vec![
                format!("            {first},"),
                format!("            [{second}],"),
            ],
        ] {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            assert_eq!(elided.restore(&formatted(&lines)), None, "{lines:?}");
        }
    }
}
