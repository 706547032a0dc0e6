//! Engine of the MIM request-log report analyzer: reads exports of the
//! *Identity Manager Request Log*, reassembles requests and classifies them
//! into the password reset, registration and self-service group reports.

pub mod event;
pub mod ingest;
pub mod ledger;
pub mod time;
