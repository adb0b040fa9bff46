//! The runtime under every template: undefined variables as nil (Jekyll's default), a step budget
//! against runaway loops, and an output budget.

use std::collections::BTreeSet;
use std::io::Write;

use liquid_core::error::{Error, Result};
use liquid_core::model::{
    KString, KStringCow, KStringRef, ObjectView, ScalarCow, Value, ValueCow, ValueView,
};
use liquid_core::runtime::{PartialStore, Registers, Runtime};

use super::{MAX_OUTPUT_BYTES, MAX_STEPS};

/// What one render may still do, and how it treats undefined variables; kept in the registers so
/// that every frame stacked on the root (loops, includes, `where_exp`) sees it.
#[derive(Default)]
struct Budget {
    steps: u64,
    strict: bool,
}

/// Counts one step (a lookup or a loop iteration) of the render; past [`MAX_STEPS`] it is a
/// runaway loop.
pub(crate) fn step(runtime: &dyn Runtime) -> Result<()> {
    let mut budget = runtime.registers().get_mut::<Budget>();
    budget.steps += 1;
    if budget.steps > MAX_STEPS {
        return Err(Error::with_msg(format!(
            "more than {MAX_STEPS} loop iterations and variable lookups: a runaway loop, stopped"
        )));
    }
    Ok(())
}

fn strict(runtime: &dyn Runtime) -> bool {
    runtime.registers().get_mut::<Budget>().strict
}

/// Wraps the root runtime: a missing variable becomes nil (unless strict), and each lookup counts
/// towards [`MAX_STEPS`]. The globals (`site`, `page`) are looked up here, borrowed: liquid-core's
/// own frame would copy the value found, and `site.posts` holds every post.
pub struct Counted<'r> {
    inner: &'r dyn Runtime,
    globals: Vec<(&'static str, &'r dyn ValueView)>,
    /// Globals an `assign` replaced: the inner runtime holds their new value.
    assigned: std::cell::RefCell<Vec<KString>>,
}

impl<'r> Counted<'r> {
    /// The root of a render with `globals`; `strict` is `liquid: strict_variables`.
    pub fn new(
        inner: &'r dyn Runtime,
        globals: Vec<(&'static str, &'r dyn ValueView)>,
        strict: bool,
    ) -> Self {
        inner.registers().get_mut::<Budget>().strict = strict;
        Counted {
            inner,
            globals,
            assigned: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The global `path` starts with, unless an `assign` replaced it.
    fn global(&self, path: &[ScalarCow<'_>]) -> Option<&'r dyn ValueView> {
        let name = path.first()?.to_kstr();
        let (_, value) = self.globals.iter().find(|(n, _)| *n == name.as_str())?;
        let assigned = self.assigned.borrow();
        (!assigned.iter().any(|a| a.as_str() == name.as_str())).then_some(*value)
    }
}

impl Runtime for Counted<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.inner.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.inner.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.inner.roots()
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        // `try_get` cannot fail: once over budget, lookups find nothing and `get` reports it.
        step(self).ok()?;
        match self.global(path) {
            Some(global) => liquid_core::model::try_find(global, &path[1..]),
            None => self.inner.try_get(path),
        }
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        step(self)?;
        let strict = strict(self);
        if let Some(global) = self.global(path) {
            return match liquid_core::model::try_find(global, &path[1..]) {
                Some(value) => Ok(value),
                None if !strict => Ok(ValueCow::Owned(Value::Nil)),
                None => liquid_core::model::find(global, &path[1..]),
            };
        }
        match self.inner.get(path) {
            Ok(value) => Ok(value),
            Err(_) if !strict => Ok(ValueCow::Owned(Value::Nil)),
            Err(error) => Err(error),
        }
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        if self.globals.iter().any(|(n, _)| *n == name.as_str()) {
            self.assigned.borrow_mut().push(name.clone());
        }
        self.inner.set_global(name, val)
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.inner.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.inner.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.inner.registers()
    }
}

/// Variables layered over a runtime (a loop's item and `forloop`, `include`, `where_exp`'s item):
/// liquid-core's `StackFrame`, except that a missing key below one of them is nil as in Jekyll
/// (unless `strict_variables`), and each lookup counts towards [`MAX_STEPS`].
pub(crate) struct Frame<'p, O> {
    parent: &'p dyn Runtime,
    data: O,
}

impl<'p, O: ObjectView> Frame<'p, O> {
    /// `data` over `parent`.
    pub(crate) fn new(parent: &'p dyn Runtime, data: O) -> Self {
        Frame { parent, data }
    }

    fn owns(&self, path: &[ScalarCow<'_>]) -> bool {
        path.first()
            .is_some_and(|key| self.data.contains_key(key.to_kstr().as_str()))
    }
}

impl<O: ObjectView> Runtime for Frame<'_, O> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.extend(self.data.keys());
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        if !self.owns(path) {
            return self.parent.try_get(path);
        }
        step(self).ok()?;
        liquid_core::model::try_find(self.data.as_value(), path)
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        if !self.owns(path) {
            return self.parent.get(path);
        }
        step(self)?;
        match liquid_core::model::try_find(self.data.as_value(), path) {
            Some(value) => Ok(value),
            None if !strict(self) => Ok(ValueCow::Owned(Value::Nil)),
            None => liquid_core::model::find(self.data.as_value(), path),
        }
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_global(name, val)
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.parent.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

/// The output, refused past [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
pub struct Limited {
    bytes: Vec<u8>,
}

impl Limited {
    /// The output as text (every input and filter writes UTF-8).
    pub fn into_string(self) -> String {
        String::from_utf8(self.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            return Err(std::io::Error::other(format!(
                "the output grew past {} MiB: a runaway loop, stopped",
                MAX_OUTPUT_BYTES >> 20
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
