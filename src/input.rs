//! Reading inputs (files, directories, stdin) and telling NMT output from GC logs.
