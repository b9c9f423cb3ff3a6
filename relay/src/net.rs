//! Who the client is, behind proxies: the socket peer, unless it is one of the relay's trusted
//! proxies (`BATON_TRUSTED_PROXIES`), whose `X-Forwarded-For` is read from the right — the
//! address each trusted hop saw — to the first hop that is not trusted. Nobody else's header is
//! believed, so a client cannot pick its own address. Rate limits count an IPv6 client by its
//! /64 (one subscriber's whole network), an IPv4 client by its address.

use std::net::{IpAddr, Ipv6Addr};

/// A network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`, or one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Parses `ADDRESS[/BITS]`.
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let (addr, bits) = s.trim().split_once('/').map_or((s.trim(), None), |(a, b)| (a, Some(b)));
        let network: IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an address or CIDR network"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
            None => max,
        };
        Ok(Cidr { network, bits })
    }

    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix(u128::from(u32::from(n)) << 96, u128::from(u32::from(a)) << 96, self.bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix(u128::from(n), u128::from(a), self.bits),
            _ => false,
        }
    }
}

fn prefix(a: u128, b: u128, bits: u8) -> bool {
    bits == 0 || (a ^ b) >> (128 - u32::from(bits)) == 0
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address: `peer`, or what trusted proxies say in `forwarded` (the
/// `X-Forwarded-For` values, in order).
pub fn client(peer: IpAddr, forwarded: &[&str], trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let mut client = canonical(peer);
    if !is_trusted(client) {
        return client;
    }
    let hops = forwarded.iter().flat_map(|h| h.split(',')).map(str::trim).collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        // A hop that is not an address (`unknown`, garbage): the chain is broken there, so the
        // last address a trusted proxy vouched for is the client.
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = canonical(ip);
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// The rate limits' bucket of `ip`: the address for IPv4, its /64 for IPv6.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")) && !net.contains(ip("10.2.0.1")) && net.contains(ip("::ffff:10.1.0.9")));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::1")) && !v6.contains(ip("10.1.0.1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")) && !Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.2")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nope", "::/129", "10.0.0.0/x"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_trusted_proxies_are_believed() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        // A client straight on the internet cannot pick its address.
        assert_eq!(client(ip("203.0.113.7"), &["1.2.3.4"], &trusted), ip("203.0.113.7"));
        // Behind the proxy: the address the proxy saw.
        assert_eq!(client(ip("10.0.0.2"), &["198.51.100.9"], &trusted), ip("198.51.100.9"));
        // A client that sends its own X-Forwarded-For through the proxy: the proxy appends the
        // real address, which is the one believed.
        assert_eq!(client(ip("10.0.0.2"), &["1.2.3.4, 198.51.100.9"], &trusted), ip("198.51.100.9"));
        // Two trusted hops, the header split across two lines.
        assert_eq!(client(ip("10.0.0.2"), &["1.2.3.4", "198.51.100.9, 10.0.0.5"], &trusted), ip("198.51.100.9"));
        // Nothing trusted: the header means nothing.
        assert_eq!(client(ip("10.0.0.2"), &["198.51.100.9"], &[]), ip("10.0.0.2"));
        assert_eq!(client(ip("10.0.0.2"), &["garbage"], &trusted), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(bucket(ip("2001:db8:1:2:aaaa::1")), bucket(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("198.51.100.9")), ip("198.51.100.9"));
        assert_eq!(bucket(ip("::ffff:198.51.100.9")), ip("198.51.100.9"));
    }
}
