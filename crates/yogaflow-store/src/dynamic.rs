//! Composing a query from fixed fragments when a filter is present, with values
//! always bound as parameters, never pasted into the text.

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    I64(i64),
    Text(String),
}

/// SQL text built only from `'static` fragments plus numbered placeholders.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn push(&mut self, fragment: &'static str) -> &mut Self {
        self.text.push_str(fragment);
        self
    }

    /// Adds a value and returns its placeholder, e.g. `$3`.
    pub fn arg(&mut self, value: Arg) -> String {
        self.args.push(value);
        format!("${}", self.args.len())
    }

    /// Adds a value and writes its placeholder into the text.
    pub fn push_arg(&mut self, value: Arg) -> &mut Self {
        let placeholder = self.arg(value);
        self.text.push_str(&placeholder);
        self
    }

    /// Writes an existing placeholder again (both databases allow reusing `$n`).
    pub fn push_placeholder(&mut self, placeholder: &str) -> &mut Self {
        self.text.push_str(placeholder);
        self
    }
}

/// Binds every argument of a [`Sql`] to a query, in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                $crate::dynamic::Arg::I64(v) => q.bind(*v),
                $crate::dynamic::Arg::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }};
}
pub(crate) use bind_args;
