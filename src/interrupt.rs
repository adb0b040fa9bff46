//! Ctrl-C as a flag: `lint --watch` stops cleanly on it, `export` abandons its temporary folder.

pub use imp::{install, requested};

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicBool, Ordering};

    static REQUESTED: AtomicBool = AtomicBool::new(false);
    const SIGINT: i32 = 2;

    extern "C" {
        /// The C library's `signal(2)`; std links it on every Unix target.
        fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
    }

    extern "C" fn on_interrupt(_: i32) {
        REQUESTED.store(true, Ordering::SeqCst);
    }

    /// Routes SIGINT to a flag that long-running commands poll.
    pub fn install() {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe, and the
        // declaration matches `signal`'s C signature (int, function pointer) -> pointer.
        #[allow(unsafe_code)]
        unsafe {
            signal(SIGINT, on_interrupt);
        }
    }

    /// Whether Ctrl-C was pressed.
    pub fn requested() -> bool {
        REQUESTED.load(Ordering::SeqCst)
    }
}

/// Elsewhere Ctrl-C keeps its default effect and ends the process.
#[cfg(not(unix))]
mod imp {
    /// Nothing to install.
    pub fn install() {}

    /// Never: the process ends on Ctrl-C.
    pub fn requested() -> bool {
        false
    }
}
