// Package document turns files into mosaic.Document values: plain text, HTML,
// PDF, DOCX, e-mail, and the records of CSV and JSON files, read from folders
// and zip archives.
//
// Everything this package reads is untrusted. Analysts load seized disks,
// leaked archives and scraped web pages, so every input is bounded by Limits:
// a file larger than MaxFileSize is refused before it is read, an archive
// cannot expand past MaxArchiveTotal or nest past MaxDepth, a CSV or JSON file
// cannot yield more than MaxRecords documents, and HTML, JSON and MIME nesting
// are capped so that no input can exhaust the stack or take quadratic time.
// A bad input gives an error that names the file and wraps one of ErrTooLarge,
// ErrUnsupported or ErrCorrupt; it never stops the rest of a batch.
//
// Walk finds the files (expanding zip archives into their members) and Read
// parses one of them; Parse does the format work on bytes already in memory.
// Stream reads one file as documents of bounded length, cutting a long text
// into parts, and reads a large plain-text file from disk a part at a time.
// Every Document.Text is valid UTF-8 with "\n" line endings, because the
// extraction stages index it by byte offset.
package document
