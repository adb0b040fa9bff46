//! The rules, one file per family.

pub mod dates;
pub mod excerpt;
pub mod front_matter;
pub mod keys;
pub mod layout;
pub mod links;
pub mod liquid;
pub mod site;
