//! Recorded sessions: the file format written by `live --record` and read by `replay`.
