//! Parallel gzip. The writer cuts the stream into blocks and compresses them on worker
//! threads into independent gzip members (RFC 1952 allows any number of members; `gzip -d`,
//! `tar xzf` and every gzip library read them as one stream). Each member's header carries an
//! extra subfield `SO` holding the length of its deflate data, so the reader can split the
//! stream without inflating it and inflate members in parallel. A gzip stream without that
//! subfield (an archive recompressed by another tool) is read sequentially.
//!
//! Members are compressed and inflated whole with libdeflate, which is faster than zlib at
//! the same level and, at level 6, compresses a little better than `gzip -6`.
//!
//! Memory is bounded: at most a fixed number of blocks are in flight on either side.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use libdeflater::{CompressionLvl, Compressor, Crc, Decompressor};

/// Uncompressed bytes per member.
pub const BLOCK: usize = 1 << 20;
/// Largest uncompressed member the reader accepts from the `SO` layout.
const MAX_MEMBER: usize = 8 << 20;
/// The extra subfield id.
const SUBFIELD: [u8; 2] = *b"SO";
const FEXTRA: u8 = 0x04;

/// Worker threads for compression and decompression.
pub fn workers() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 8)
}

/// Reusable buffers: fresh 1 MiB allocations would cost a page fault per 4 KiB.
#[derive(Debug, Clone, Default)]
struct Pool(Arc<Mutex<Vec<Vec<u8>>>>);

impl Pool {
    /// A buffer of `len` bytes (contents unspecified, zero for new space).
    fn take(&self, len: usize) -> Vec<u8> {
        let mut v = self.0.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default();
        v.resize(len, 0);
        v
    }

    fn give(&self, v: Vec<u8>) {
        if let Ok(mut p) = self.0.lock()
            && p.len() < 64
        {
            p.push(v);
        }
    }
}

fn lock_err() -> io::Error {
    io::Error::other("a compression thread failed")
}

type Job = (u64, Vec<u8>);
type Done = (u64, io::Result<Vec<u8>>, Vec<u8>);

/// A `Write` that produces a multi-member gzip stream, compressed in parallel.
pub struct ParGzWriter<W: Write + Send + 'static> {
    buf: Vec<u8>,
    seq: u64,
    jobs: Option<SyncSender<Job>>,
    pool: Receiver<Vec<u8>>,
    workers: Vec<JoinHandle<()>>,
    writer: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> std::fmt::Debug for ParGzWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParGzWriter").field("seq", &self.seq).finish()
    }
}

impl<W: Write + Send + 'static> ParGzWriter<W> {
    /// Compress into `out` at `level` (0-9) with `threads` workers.
    pub fn new(out: W, level: u32, threads: usize) -> Self {
        let threads = threads.max(1);
        // Blocks in flight: being filled, queued, compressing, waiting to be written.
        let slots = 2 * threads + 2;
        let (pool_tx, pool_rx) = mpsc::sync_channel::<Vec<u8>>(slots);
        for _ in 0..slots {
            let _ = pool_tx.send(Vec::new());
        }
        let (jobs_tx, jobs_rx) = mpsc::sync_channel::<Job>(threads);
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let outputs = Pool::default();
        let mut workers = Vec::new();
        for _ in 0..threads {
            let rx = Arc::clone(&jobs_rx);
            let tx = done_tx.clone();
            let outputs = outputs.clone();
            workers.push(std::thread::spawn(move || {
                let lvl = CompressionLvl::new(level.min(12) as i32).unwrap_or_default();
                let mut c = Compressor::new(lvl);
                loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, data)) = job else { return };
                    let member = compress_member(&mut c, &data, level, &outputs);
                    if tx.send((seq, member, data)).is_err() {
                        return;
                    }
                }
            }));
        }
        drop(done_tx);
        let writer = std::thread::spawn(move || {
            let mut out = out;
            let mut pending: BTreeMap<u64, (io::Result<Vec<u8>>, Vec<u8>)> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, member, input) in done_rx {
                pending.insert(seq, (member, input));
                while let Some((member, mut input)) = pending.remove(&next) {
                    let member = member?;
                    out.write_all(&member)?;
                    outputs.give(member);
                    input.clear();
                    let _ = pool_tx.send(input);
                    next += 1;
                }
            }
            out.flush()?;
            Ok(out)
        });
        let first = pool_rx.recv().unwrap_or_default();
        ParGzWriter {
            buf: first,
            seq: 0,
            jobs: Some(jobs_tx),
            pool: pool_rx,
            workers,
            writer: Some(writer),
        }
    }

    fn dispatch(&mut self) -> io::Result<()> {
        let next = match self.pool.recv() {
            Ok(b) => b,
            Err(_) => return Err(self.fail()),
        };
        let mut full = std::mem::replace(&mut self.buf, next);
        if full.capacity() < BLOCK {
            full.reserve_exact(BLOCK - full.len());
        }
        let Some(jobs) = &self.jobs else { return Err(lock_err()) };
        if jobs.send((self.seq, full)).is_err() {
            return Err(self.fail());
        }
        self.seq += 1;
        Ok(())
    }

    /// The writer thread stopped: take its error.
    fn fail(&mut self) -> io::Error {
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        match self.writer.take().map(|w| w.join()) {
            Some(Ok(Err(e))) => e,
            _ => lock_err(),
        }
    }

    /// Compress what is left, wait for every thread, and return the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.buf.is_empty() || self.seq == 0 {
            self.dispatch()?;
        }
        self.jobs = None;
        for w in self.workers.drain(..) {
            w.join().map_err(|_| lock_err())?;
        }
        match self.writer.take() {
            Some(w) => w.join().map_err(|_| lock_err())?,
            None => Err(lock_err()),
        }
    }
}

impl<W: Write + Send + 'static> Write for ParGzWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.capacity() < BLOCK {
            self.buf.reserve_exact(BLOCK - self.buf.len());
        }
        let room = BLOCK - self.buf.len();
        let n = room.min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() >= BLOCK {
            self.dispatch()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write + Send + 'static> Drop for ParGzWriter<W> {
    fn drop(&mut self) {
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

/// One complete gzip member holding `data`.
fn compress_member(
    c: &mut Compressor,
    data: &[u8],
    level: u32,
    pool: &Pool,
) -> io::Result<Vec<u8>> {
    let xfl = match level {
        0 | 1 => 4,
        9..=12 => 2,
        _ => 0,
    };
    let bound = c.deflate_compress_bound(data.len());
    let mut out = pool.take(HEADER_LEN + bound + 8);
    out[..10].copy_from_slice(&[0x1f, 0x8b, 8, FEXTRA, 0, 0, 0, 0, xfl, 3]);
    out[10..12].copy_from_slice(&8u16.to_le_bytes());
    out[12..14].copy_from_slice(&SUBFIELD);
    out[14..16].copy_from_slice(&4u16.to_le_bytes());
    let clen = c
        .deflate_compress(data, &mut out[HEADER_LEN..HEADER_LEN + bound])
        .map_err(|e| io::Error::other(format!("deflate failed: {e}")))?;
    let clen32 = u32::try_from(clen).map_err(|_| io::Error::other("block too large"))?;
    out[16..20].copy_from_slice(&clen32.to_le_bytes());
    let mut crc = Crc::new();
    crc.update(data);
    let t = HEADER_LEN + clen;
    out[t..t + 4].copy_from_slice(&crc.sum().to_le_bytes());
    out[t + 4..t + 8].copy_from_slice(&(data.len() as u32).to_le_bytes());
    out.truncate(t + 8);
    Ok(out)
}

/// Bytes of a member header in the `SO` layout.
const HEADER_LEN: usize = 20;

/// What the dispatcher hands the workers.
enum Work {
    /// Inflate a member of the `SO` layout.
    Member { seq: u64, deflate: Vec<u8>, crc: u32, isize: u32 },
}

/// What the reader gets, in sequence order.
enum Chunk {
    Data(Vec<u8>),
    End,
    Err(io::ErrorKind, String),
}

/// A `Read` over a gzip stream, inflating `SO` members in parallel.
pub struct ParGzReader {
    cur: Vec<u8>,
    pos: usize,
    next: u64,
    holding: bool,
    done: bool,
    pending: BTreeMap<u64, Chunk>,
    rx: Receiver<(u64, Chunk)>,
    tokens: Option<SyncSender<()>>,
    threads: Vec<JoinHandle<()>>,
    outputs: Pool,
}

impl std::fmt::Debug for ParGzReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParGzReader").field("next", &self.next).finish()
    }
}

fn damaged(msg: impl Into<String>) -> Chunk {
    Chunk::Err(io::ErrorKind::InvalidData, msg.into())
}

fn truncated() -> Chunk {
    Chunk::Err(
        io::ErrorKind::UnexpectedEof,
        "the gzip stream ends early: the archive is truncated".into(),
    )
}

impl ParGzReader {
    pub fn new<R: Read + Send + 'static>(input: R, threads: usize) -> Self {
        let threads = threads.max(1);
        let slots = 2 * threads + 2;
        let (tok_tx, tok_rx) = mpsc::sync_channel::<()>(slots);
        for _ in 0..slots {
            let _ = tok_tx.send(());
        }
        let (out_tx, out_rx) = mpsc::channel::<(u64, Chunk)>();
        let (work_tx, work_rx) = mpsc::sync_channel::<Work>(threads);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let inputs = Pool::default();
        let outputs = Pool::default();
        let mut handles = Vec::new();
        for _ in 0..threads {
            let rx = Arc::clone(&work_rx);
            let tx = out_tx.clone();
            let (inputs, outputs) = (inputs.clone(), outputs.clone());
            handles.push(std::thread::spawn(move || {
                let mut d = Decompressor::new();
                loop {
                    let w = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(Work::Member { seq, deflate, crc, isize }) = w else { return };
                    let chunk = inflate_member(&mut d, &deflate, crc, isize, &outputs);
                    inputs.give(deflate);
                    if tx.send((seq, chunk)).is_err() {
                        return;
                    }
                }
            }));
        }
        let pool = inputs.clone();
        handles.push(std::thread::spawn(move || {
            dispatch(BufReader::with_capacity(256 * 1024, input), tok_rx, work_tx, out_tx, pool);
        }));
        ParGzReader {
            cur: Vec::new(),
            pos: 0,
            next: 0,
            holding: false,
            done: false,
            pending: BTreeMap::new(),
            rx: out_rx,
            tokens: Some(tok_tx),
            threads: handles,
            outputs,
        }
    }

    fn release(&mut self) {
        let done = std::mem::take(&mut self.cur);
        if done.capacity() > 0 {
            self.outputs.give(done);
        }
        if self.holding {
            if let Some(t) = &self.tokens {
                let _ = t.send(());
            }
            self.holding = false;
        }
    }

    fn advance(&mut self) -> io::Result<()> {
        self.release();
        let chunk = loop {
            if let Some(c) = self.pending.remove(&self.next) {
                break c;
            }
            match self.rx.recv() {
                Ok((seq, c)) => {
                    self.pending.insert(seq, c);
                }
                Err(_) => {
                    break Chunk::Err(
                        io::ErrorKind::Other,
                        "the decompression threads stopped".into(),
                    );
                }
            }
        };
        self.next += 1;
        match chunk {
            Chunk::Data(d) => {
                self.cur = d;
                self.pos = 0;
                self.holding = true;
                Ok(())
            }
            Chunk::End => {
                self.done = true;
                self.cur = Vec::new();
                self.pos = 0;
                self.holding = true;
                Ok(())
            }
            Chunk::Err(kind, msg) => {
                self.done = true;
                Err(io::Error::new(kind, msg))
            }
        }
    }
}

impl Read for ParGzReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos < self.cur.len() {
                let n = (self.cur.len() - self.pos).min(out.len());
                out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            self.advance()?;
        }
    }
}

impl Drop for ParGzReader {
    fn drop(&mut self) {
        self.tokens = None;
        // Unblock the dispatcher if it waits for a token: the channel is gone now.
        let (_tx, rx) = mpsc::channel();
        self.rx = rx;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn inflate_member(
    d: &mut Decompressor,
    deflate: &[u8],
    crc: u32,
    isize: u32,
    pool: &Pool,
) -> Chunk {
    let size = isize as usize;
    if size > MAX_MEMBER {
        return damaged(format!("a gzip member claims {size} bytes: the archive is damaged"));
    }
    let mut out = pool.take(size);
    match d.deflate_decompress(deflate, &mut out) {
        Ok(n) if n == size => {}
        Ok(_) | Err(libdeflater::DecompressionError::InsufficientSpace) => {
            return damaged(
                "a gzip member inflates to more or less than its recorded size: the archive is damaged",
            );
        }
        Err(_) => return damaged("corrupt deflate data in a gzip member: the archive is damaged"),
    }
    let mut c = Crc::new();
    c.update(&out);
    if c.sum() != crc {
        return damaged("a gzip member fails its CRC-32 check: the archive is damaged");
    }
    Chunk::Data(out)
}

/// Fill `buf` from `r`; false when `r` was at its end before the first byte.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) if got == 0 => return Ok(false),
            Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated")),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Read until `buf` is full or `r` ends; how many bytes were read.
fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

fn io_chunk(e: io::Error) -> Chunk {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        truncated()
    } else {
        Chunk::Err(e.kind(), format!("cannot read the archive: {e}"))
    }
}

/// The dispatcher: splits `SO` members off the stream and hands them to the workers; falls
/// back to sequential inflating for any other gzip layout.
fn dispatch<R: BufRead + Send + 'static>(
    mut input: R,
    tokens: Receiver<()>,
    work: SyncSender<Work>,
    out: mpsc::Sender<(u64, Chunk)>,
    pool: Pool,
) {
    let mut seq = 0u64;
    loop {
        if tokens.recv().is_err() {
            return;
        }
        let mut head = [0u8; 10];
        match read_up_to(&mut input, &mut head) {
            Ok(0) => {
                let c = if seq == 0 { damaged("the archive is empty") } else { Chunk::End };
                let _ = out.send((seq, c));
                return;
            }
            Ok(n) if n < head.len() => {
                // A short file that does not even start like gzip is not a cut-off archive.
                let c = if [0x1f, 0x8b, 8][..n.min(3)] == head[..n.min(3)] {
                    truncated()
                } else if seq == 0 {
                    damaged("not a gzip file (a stellar-obs archive is a .tar.gz)")
                } else {
                    damaged("unexpected data after a gzip member: the archive is damaged")
                };
                let _ = out.send((seq, c));
                return;
            }
            Ok(_) => {}
            Err(e) => {
                let _ = out.send((seq, io_chunk(e)));
                return;
            }
        }
        if head[0] != 0x1f || head[1] != 0x8b || head[2] != 8 {
            let msg = if seq == 0 {
                "not a gzip file (a stellar-obs archive is a .tar.gz)"
            } else {
                "unexpected data after a gzip member: the archive is damaged"
            };
            let _ = out.send((seq, damaged(msg)));
            return;
        }
        let mut consumed = head.to_vec();
        let mut layout = None;
        if head[3] == FEXTRA {
            let mut xlen = [0u8; 2];
            if let Err(e) = read_full(&mut input, &mut xlen).and_then(|ok| {
                if ok { Ok(()) } else { Err(io::Error::from(io::ErrorKind::UnexpectedEof)) }
            }) {
                let _ = out.send((seq, io_chunk(e)));
                return;
            }
            consumed.extend_from_slice(&xlen);
            let mut extra = vec![0u8; u16::from_le_bytes(xlen) as usize];
            if let Err(e) = read_full(&mut input, &mut extra).and_then(|ok| {
                if ok || extra.is_empty() {
                    Ok(())
                } else {
                    Err(io::Error::from(io::ErrorKind::UnexpectedEof))
                }
            }) {
                let _ = out.send((seq, io_chunk(e)));
                return;
            }
            if extra.len() == 8 && extra[0..2] == SUBFIELD && extra[2..4] == [4, 0] {
                layout = Some(u32::from_le_bytes([extra[4], extra[5], extra[6], extra[7]]));
            }
            consumed.extend_from_slice(&extra);
        }
        let Some(clen) = layout else {
            // Another tool's gzip: inflate the rest sequentially on this thread.
            sequential(consumed, input, seq, &tokens, &out);
            return;
        };
        let clen = clen as usize;
        if clen > MAX_MEMBER + MAX_MEMBER / 8 {
            let _ = out.send((seq, damaged("a gzip member is too large: the archive is damaged")));
            return;
        }
        let mut deflate = pool.take(clen);
        let mut trailer = [0u8; 8];
        let r =
            read_full(&mut input, &mut deflate)
                .and_then(|ok| {
                    if ok || clen == 0 { read_full(&mut input, &mut trailer) } else { Ok(false) }
                })
                .and_then(|ok| {
                    if ok { Ok(()) } else { Err(io::Error::from(io::ErrorKind::UnexpectedEof)) }
                });
        if let Err(e) = r {
            let _ = out.send((seq, io_chunk(e)));
            return;
        }
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let isize = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if work.send(Work::Member { seq, deflate, crc, isize }).is_err() {
            return;
        }
        seq += 1;
    }
}

fn sequential<R: BufRead + Send + 'static>(
    consumed: Vec<u8>,
    rest: R,
    mut seq: u64,
    tokens: &Receiver<()>,
    out: &mpsc::Sender<(u64, Chunk)>,
) {
    let mut dec = flate2::bufread::MultiGzDecoder::new(io::Cursor::new(consumed).chain(rest));
    let mut first = true;
    loop {
        if !first && tokens.recv().is_err() {
            return;
        }
        first = false;
        let mut buf = vec![0u8; BLOCK];
        let mut got = 0;
        let mut end = false;
        while got < buf.len() {
            match dec.read(&mut buf[got..]) {
                Ok(0) => {
                    end = true;
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let c = if e.kind() == io::ErrorKind::UnexpectedEof {
                        truncated()
                    } else {
                        damaged(format!("corrupt gzip data: {e}: the archive is damaged"))
                    };
                    if got > 0 {
                        buf.truncate(got);
                        let _ = out.send((seq, Chunk::Data(buf)));
                        seq += 1;
                    }
                    let _ = out.send((seq, c));
                    return;
                }
            }
        }
        buf.truncate(got);
        if got > 0 {
            if out.send((seq, Chunk::Data(buf))).is_err() {
                return;
            }
            seq += 1;
            if end {
                if tokens.recv().is_err() {
                    return;
                }
                let _ = out.send((seq, Chunk::End));
                return;
            }
        } else {
            let _ = out.send((seq, Chunk::End));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize) -> Vec<u8> {
        // Compressible but not trivial.
        (0..n).map(|i| ((i * 7919) % 251) as u8 ^ ((i / 1000) as u8)).collect()
    }

    fn compress(d: &[u8], threads: usize) -> Vec<u8> {
        let mut w = ParGzWriter::new(Vec::new(), 1, threads);
        for c in d.chunks(12345) {
            w.write_all(c).expect("write");
        }
        w.finish().expect("finish")
    }

    fn read_all(r: &mut dyn Read) -> io::Result<Vec<u8>> {
        let mut v = Vec::new();
        r.read_to_end(&mut v)?;
        Ok(v)
    }

    #[test]
    fn round_trip_parallel_and_standard() {
        for n in [0, 1, BLOCK - 1, BLOCK, 3 * BLOCK + 17] {
            let d = data(n);
            let gz = compress(&d, 3);
            // Standard reader (what `tar xzf` does).
            let mut std_dec = flate2::read::MultiGzDecoder::new(&gz[..]);
            assert_eq!(read_all(&mut std_dec).expect("std"), d, "std n={n}");
            // Parallel reader.
            let mut r = ParGzReader::new(io::Cursor::new(gz), 2);
            assert_eq!(read_all(&mut r).expect("par"), d, "par n={n}");
        }
    }

    #[test]
    fn reads_foreign_gzip_sequentially() {
        let d = data(2 * BLOCK + 5);
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&d).expect("w");
        let gz = e.finish().expect("f");
        let mut r = ParGzReader::new(io::Cursor::new(gz), 2);
        assert_eq!(read_all(&mut r).expect("seq"), d);
    }

    #[test]
    fn truncation_and_corruption_are_errors() {
        let d = data(3 * BLOCK);
        let gz = compress(&d, 2);
        let cut = gz[..gz.len() * 2 / 3].to_vec();
        let mut r = ParGzReader::new(io::Cursor::new(cut), 2);
        let e = read_all(&mut r).expect_err("truncated");
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{e}");
        assert!(e.to_string().contains("truncated"));

        let mut bad = gz.clone();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x55;
        let mut r = ParGzReader::new(io::Cursor::new(bad), 2);
        let e = read_all(&mut r).expect_err("corrupt");
        assert!(e.to_string().contains("damaged"), "{e}");

        let mut r = ParGzReader::new(io::Cursor::new(b"hello world".to_vec()), 2);
        assert!(read_all(&mut r).expect_err("not gzip").to_string().contains("not a gzip"));
        let mut r = ParGzReader::new(io::Cursor::new(Vec::new()), 2);
        assert!(read_all(&mut r).expect_err("empty").to_string().contains("empty"));
        // Shorter than a gzip header: text is "not a gzip file", a cut-off gzip "truncated".
        let mut r = ParGzReader::new(io::Cursor::new(b"hello\n".to_vec()), 2);
        let e = read_all(&mut r).expect_err("six bytes of text").to_string();
        assert!(e.contains("not a gzip file"), "{e}");
        let mut r = ParGzReader::new(io::Cursor::new(gz[..6].to_vec()), 2);
        assert!(read_all(&mut r).expect_err("cut").to_string().contains("truncated"));
    }

    #[test]
    fn dropping_early_does_not_hang() {
        let gz = compress(&data(6 * BLOCK), 2);
        let mut r = ParGzReader::new(io::Cursor::new(gz), 2);
        let mut b = [0u8; 10];
        r.read_exact(&mut b).expect("read");
        drop(r);
        let w = ParGzWriter::new(Vec::new(), 1, 2);
        drop(w);
    }

    #[test]
    fn write_errors_surface() {
        #[derive(Debug)]
        struct Fails;
        impl Write for Fails {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = ParGzWriter::new(Fails, 1, 2);
        let big = data(BLOCK);
        let mut err = None;
        for _ in 0..20 {
            if let Err(e) = w.write_all(&big) {
                err = Some(e);
                break;
            }
        }
        let e = match err {
            Some(e) => e,
            None => w.finish().expect_err("fails"),
        };
        assert!(e.to_string().contains("disk full"), "{e}");
    }
}
