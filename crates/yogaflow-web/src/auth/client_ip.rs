//! The client's IP address for rate limiting and logs: the TCP peer, unless the
//! peer is a configured trusted proxy, in which case the rightmost
//! `X-Forwarded-For` entry that is not itself a trusted proxy. Headers from
//! anyone else are ignored, so clients cannot pick their own rate-limit bucket.

use axum::http::HeaderMap;
use std::net::{IpAddr, Ipv6Addr};

/// An address block such as `10.0.0.0/8` or `::1/128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Reads `a.b.c.d/n`, `x::y/n` or a bare address (a single host).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let a = s.trim().parse::<IpAddr>().ok()?;
                (a, if a.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) count as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client address as trusted configuration allows us to know it.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.iter().any(|c| c.contains(peer)) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().parse::<IpAddr>().map(canonical))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.iter()
        .rev()
        .find(|ip| !trusted.iter().any(|c| c.contains(**ip)))
        .copied()
        .unwrap_or(peer)
}

/// The rate-limit bucket of an address: IPv6 clients usually own a whole /64,
/// so one bucket covers it.
pub fn bucket(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let masked = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", Ipv6Addr::from(masked))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 9.9.9.9"),
        );
        h.insert("x-real-ip", HeaderValue::from_static("7.7.7.7"));
        assert_eq!(
            client_ip(ip("1.2.3.4"), &h, &[]),
            ip("1.2.3.4"),
            "no proxy trusted"
        );
        let lb = [Cidr::parse("10.0.0.0/8").unwrap_or(Cidr {
            addr: ip("0.0.0.0"),
            prefix: 32,
        })];
        assert_eq!(
            client_ip(ip("1.2.3.4"), &h, &lb),
            ip("1.2.3.4"),
            "peer is not the proxy"
        );
        assert_eq!(
            client_ip(ip("10.1.1.1"), &h, &lb),
            ip("9.9.9.9"),
            "rightmost untrusted hop"
        );
        let mut chain = HeaderMap::new();
        chain.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 9.9.9.9, 10.2.2.2"),
        );
        assert_eq!(
            client_ip(ip("10.1.1.1"), &chain, &lb),
            ip("9.9.9.9"),
            "skips trusted hops"
        );
        let mut junk = HeaderMap::new();
        junk.insert("x-forwarded-for", HeaderValue::from_static("not-an-ip"));
        assert_eq!(client_ip(ip("10.1.1.1"), &junk, &lb), ip("10.1.1.1"));
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        assert_eq!(
            bucket(ip("2001:db8:1:2:aaaa::1")),
            bucket(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("::ffff:1.2.3.4")), "1.2.3.4");
        assert!(Cidr::parse("::1").is_some_and(|c| c.contains(ip("::1"))));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
    }
}
