//! The runtime under every template: undefined variables as nil (Jekyll's default), a step budget
//! against runaway loops, and an output budget.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::Write;

use liquid_core::error::{Error, Result};
use liquid_core::model::{KString, KStringCow, KStringRef, ScalarCow, Value, ValueCow};
use liquid_core::runtime::{PartialStore, Registers, Runtime};

use super::{MAX_OUTPUT_BYTES, MAX_STEPS};

/// Wraps the root runtime. liquid-rust stacks the frames of `for` and `include` on top of it, so
/// every lookup that leaves a loop's own variables passes here: a missing one becomes nil, and
/// each one counts towards [`MAX_STEPS`].
pub struct Counted<'r> {
    inner: &'r dyn Runtime,
    lenient: bool,
    steps: Cell<u64>,
}

impl<'r> Counted<'r> {
    /// Undefined variables are nil.
    pub fn lenient(inner: &'r dyn Runtime) -> Self {
        Counted {
            inner,
            lenient: true,
            steps: Cell::new(0),
        }
    }

    /// Undefined variables are errors (`strict_variables`).
    pub fn strict(inner: &'r dyn Runtime) -> Self {
        Counted {
            lenient: false,
            ..Counted::lenient(inner)
        }
    }

    fn step(&self) -> Result<()> {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        if steps > MAX_STEPS {
            return Err(Error::with_msg(format!(
                "more than {MAX_STEPS} variable lookups: a runaway loop, stopped"
            )));
        }
        Ok(())
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
        if self.steps.get() > MAX_STEPS {
            return None;
        }
        self.steps.set(self.steps.get() + 1);
        self.inner.try_get(path)
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        self.step()?;
        match self.inner.get(path) {
            Ok(value) => Ok(value),
            Err(_) if self.lenient => Ok(ValueCow::Owned(Value::Nil)),
            Err(error) => Err(error),
        }
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
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
