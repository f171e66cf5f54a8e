//! `gloss check --external`: whether the http(s) addresses a site links to still answer.
//!
//! Each address is asked once, however often it is used. Hosts are checked side by side by
//! a few threads, but one host is only ever handled by one thread at a time, which waits
//! between its requests: a newsroom's archive links the same few sites thousands of times,
//! and a checker that hammers them gets blocked (and is rude).
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;
use ureq::http::{StatusCode, Uri};

use crate::build::ProgressFn;
use crate::diagnostics::Severity;

/// How external links are checked.
#[derive(Clone)]
pub struct ExternalOptions {
    /// Least time between the starts of two requests to one host.
    pub per_host_interval: Duration,
    /// Longest wait for one address, redirects included.
    pub timeout: Duration,
    /// Hosts checked at the same time.
    pub threads: usize,
    /// Told of each address checked: (done, total).
    pub progress: Option<ProgressFn>,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            per_host_interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            threads: 4,
            progress: None,
        }
    }
}

impl std::fmt::Debug for ExternalOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalOptions")
            .field("per_host_interval", &self.per_host_interval)
            .field("timeout", &self.timeout)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

/// Why an external link failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    /// The server answered, but not with success (after following redirects).
    #[error("the server answered {code} {reason}{}", redirected(.final_url))]
    Status {
        /// The status code.
        code: u16,
        /// Its standard reason phrase.
        reason: &'static str,
        /// Where redirects led, when they were followed.
        final_url: Option<String>,
    },
    /// No complete answer in time.
    #[error("no answer within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    /// The host name does not resolve.
    #[error("the host `{0}` was not found")]
    HostNotFound(String),
    /// Nothing listens there.
    #[error("the connection was refused")]
    Refused,
    /// Redirects went round in circles or on for too long.
    #[error("too many redirects")]
    TooManyRedirects,
    /// Not an address a request can be made to.
    #[error("not a valid address: {0}")]
    BadAddress(String),
    /// Anything else the network or the server did (TLS, a broken response, …).
    #[error("{0}")]
    Other(String),
}

fn redirected(final_url: &Option<String>) -> String {
    final_url
        .as_ref()
        .map(|u| format!(" (redirected to {u})"))
        .unwrap_or_default()
}

impl LinkError {
    /// An error where the link is certainly broken (the page is gone, the address is
    /// malformed); a warning where it may be the network's or the server's passing trouble,
    /// or a server refusing robots, which a person should look at but no build should fail on.
    pub fn severity(&self) -> Severity {
        match self {
            LinkError::Status {
                code: 404 | 410, ..
            }
            | LinkError::BadAddress(_) => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            LinkError::Status {
                code: 404 | 410, ..
            } => {
                "the page is gone: link a copy in a web archive, or the page where it moved".into()
            }
            LinkError::Status {
                code: 401 | 403 | 429,
                ..
            } => "the server may refuse automated checks: open the link in a browser".into(),
            LinkError::Status { code, .. } if *code >= 500 => {
                "the server had trouble; check again later".into()
            }
            LinkError::Status { .. } => "open the link in a browser to see what is wrong".into(),
            LinkError::Timeout(_) | LinkError::Refused | LinkError::Other(_) => {
                "check again later; if it stays so, the site may be gone".into()
            }
            LinkError::HostNotFound(_) => {
                "check the address's spelling; if it is right, the site may be gone".into()
            }
            LinkError::TooManyRedirects => {
                "the server redirects in a loop; link the page it should end on".into()
            }
            LinkError::BadAddress(_) => {
                "write a complete address, e.g. `https://example.org/page`".into()
            }
        }
    }
}

/// Whether `url` is an address `--external` checks.
pub fn is_checked(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The address a request is made to: without its `#fragment` (servers never see it), with
/// spaces and non-ASCII characters percent-encoded as a browser would.
pub fn request_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(u, _)| u);
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic()
            && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Checks each of `urls` (request addresses, see [`request_url`]) once; returns the failed
/// ones with why.
pub fn check_urls(
    urls: impl IntoIterator<Item = String>,
    opts: &ExternalOptions,
) -> HashMap<String, LinkError> {
    let mut failed = HashMap::new();
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for url in urls {
        match url.parse::<Uri>() {
            Ok(uri) if uri.host().is_some() => {
                let host = uri.host().unwrap_or_default().to_ascii_lowercase();
                by_host.entry(host).or_default().push(url);
            }
            Ok(_) => {
                failed.insert(url.clone(), LinkError::BadAddress(url));
            }
            Err(e) => {
                failed.insert(url, LinkError::BadAddress(e.to_string()));
            }
        }
    }
    for urls in by_host.values_mut() {
        urls.sort();
        urls.dedup();
    }
    let total: usize = by_host.values().map(Vec::len).sum();
    // The busiest hosts first: they bound the wall time, so they should start at once.
    let mut hosts: Vec<(String, Vec<String>)> = by_host.into_iter().collect();
    hosts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let queue = Mutex::new(VecDeque::from(hosts));
    let results = Mutex::new(failed);
    let done = AtomicUsize::new(0);
    let agent = agent(opts);
    let threads = opts.threads.max(1).min(total.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some((host, urls)) = next else { break };
                    let mut pacer = Pacer::new(opts.per_host_interval);
                    for url in urls {
                        if let Err(e) = check_one(&agent, &url, &host, opts, &mut pacer) {
                            results
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(url, e);
                        }
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if let Some(progress) = &opts.progress {
                            progress(n, total);
                        }
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn agent(opts: &ExternalOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        // 4xx and 5xx are answers to report, not failures of the request.
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .max_redirects(10)
        .user_agent(concat!(
            "gloss/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into()
}

/// Spaces the requests to one host.
struct Pacer {
    interval: Duration,
    last: Option<Instant>,
}

impl Pacer {
    fn new(interval: Duration) -> Self {
        Pacer {
            interval,
            last: None,
        }
    }

    /// Sleeps until a request may start, and counts it as started.
    fn wait(&mut self) {
        if let Some(last) = self.last {
            let next = last + self.interval;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
        }
        self.last = Some(Instant::now());
    }
}

/// HEAD, and GET where the server does not do HEAD.
fn check_one(
    agent: &ureq::Agent,
    url: &str,
    host: &str,
    opts: &ExternalOptions,
    pacer: &mut Pacer,
) -> Result<(), LinkError> {
    pacer.wait();
    let mut answer = agent.head(url).call();
    if let Ok(res) = &answer
        && matches!(res.status().as_u16(), 405 | 501)
    {
        pacer.wait();
        answer = agent.get(url).call();
    }
    match answer {
        Ok(res) if res.status().is_success() => Ok(()),
        Ok(res) => {
            use ureq::ResponseExt;
            let status = res.status();
            let asked = url.parse::<Uri>().ok();
            let ended = res.get_uri();
            Err(LinkError::Status {
                code: status.as_u16(),
                reason: reason(status),
                final_url: (asked.as_ref() != Some(ended)).then(|| ended.to_string()),
            })
        }
        Err(e) => Err(classify(e, host, opts.timeout)),
    }
}

fn reason(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("")
}

fn classify(e: ureq::Error, host: &str, timeout: Duration) -> LinkError {
    match e {
        ureq::Error::Timeout(_) => LinkError::Timeout(timeout),
        ureq::Error::HostNotFound => LinkError::HostNotFound(host.to_string()),
        ureq::Error::TooManyRedirects => LinkError::TooManyRedirects,
        ureq::Error::BadUri(u) => LinkError::BadAddress(u),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            LinkError::Refused
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            LinkError::Timeout(timeout)
        }
        other => LinkError::Other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_urls_lose_fragments_and_encode_what_a_browser_would() {
        assert_eq!(request_url("https://x.org/a#b"), "https://x.org/a");
        assert_eq!(
            request_url(" https://x.org/München a "),
            "https://x.org/M%C3%BCnchen%20a"
        );
        assert_eq!(
            request_url("https://x.org/?q=1&r=%20"),
            "https://x.org/?q=1&r=%20"
        );
    }

    #[test]
    fn only_http_links_are_checked() {
        assert!(is_checked("https://x.org"));
        assert!(is_checked("HTTP://x.org"));
        assert!(!is_checked("mailto:a@b.c"));
        assert!(!is_checked("../a/"));
        assert!(!is_checked("ftp://x.org/f"));
    }

    #[test]
    fn gone_pages_are_errors_passing_trouble_is_a_warning() {
        let status = |code| LinkError::Status {
            code,
            reason: "",
            final_url: None,
        };
        assert_eq!(status(404).severity(), Severity::Error);
        assert_eq!(status(410).severity(), Severity::Error);
        assert_eq!(status(403).severity(), Severity::Warning);
        assert_eq!(status(503).severity(), Severity::Warning);
        assert_eq!(
            LinkError::Timeout(Duration::from_secs(1)).severity(),
            Severity::Warning
        );
        assert_eq!(
            LinkError::BadAddress("x".into()).severity(),
            Severity::Error
        );
    }

    #[test]
    fn malformed_addresses_are_reported_without_a_request() {
        let found = check_urls(
            [
                "https:///nohost".to_string(),
                "http://exa mple/".to_string(),
            ],
            &ExternalOptions::default(),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .values()
                .all(|e| matches!(e, LinkError::BadAddress(_)))
        );
    }

    #[test]
    fn the_pacer_spaces_requests() {
        let mut p = Pacer::new(Duration::from_millis(30));
        let t0 = Instant::now();
        p.wait();
        p.wait();
        p.wait();
        assert!(t0.elapsed() >= Duration::from_millis(60));
    }
}
