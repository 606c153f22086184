//! Access tokens: one long random value per role, shown once in the role's link.
//!
//! A token is 32 bytes from the operating system's random source, written as 64 hex
//! digits. A request carries it in `?t=TOKEN` (links, and the event stream, which a
//! browser's `EventSource` cannot give headers) or in `Authorization: Bearer TOKEN`.
//! The presented value is compared with every role's token in constant time
//! ([`subtle`]), so neither the answer's time nor its content tells how much of a guess
//! was right. [`Caller`] is the extractor; [`Caller::require`] turns it into the
//! answer a route gives: 401 for no or an unknown token, 403 for another role's.

use super::super::Role;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

/// Bytes of randomness in a token.
pub const TOKEN_BYTES: usize = 32;

/// One role's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token([u8; TOKEN_BYTES]);

impl Token {
    /// A new token from the operating system's random source.
    pub fn random() -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Token(bytes))
    }

    /// The token as 64 lower-case hex digits, as it appears in a link.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads 64 hex digits (either case); anything else is not a token.
    pub fn parse(text: &str) -> Option<Token> {
        let text = text.as_bytes();
        if text.len() != 2 * TOKEN_BYTES {
            return None;
        }
        let mut bytes = [0u8; TOKEN_BYTES];
        for (i, pair) in text.chunks_exact(2).enumerate() {
            bytes[i] = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
        }
        Some(Token(bytes))
    }
}

/// Never printed by accident (logs, panics): only [`Token::hex`] shows the secret.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The tokens of one exercise: exercise control's and one per played organisation.
#[derive(Clone, Debug)]
pub struct Tokens {
    control: Token,
    players: BTreeMap<String, Token>,
}

impl Tokens {
    /// Fresh random tokens for control and each played organisation.
    pub fn generate(played: &[String]) -> Result<Tokens, getrandom::Error> {
        let control = Token::random()?;
        let mut players = BTreeMap::new();
        for org in played {
            players.insert(org.clone(), Token::random()?);
        }
        Ok(Tokens { control, players })
    }

    /// The tokens kept beside the exercise log (`LOG.tokens`, readable by its owner
    /// only): on `resume`, those kept there, so that everyone's links still work (with a
    /// fixed `--listen` port); otherwise, or when the file is missing or lacks a role,
    /// fresh ones, written there.
    pub fn kept(log: &std::path::Path, played: &[String], resume: bool) -> std::io::Result<Tokens> {
        let path = Tokens::file(log);
        if resume
            && let Ok(text) = std::fs::read_to_string(&path)
            && let Some(tokens) = Tokens::parse(&text, played)
        {
            return Ok(tokens);
        }
        let tokens = Tokens::generate(played).map_err(std::io::Error::other)?;
        tokens.write(&path)?;
        Ok(tokens)
    }

    /// Where [`Tokens::kept`] keeps them.
    pub fn file(log: &std::path::Path) -> std::path::PathBuf {
        let mut name = log.as_os_str().to_owned();
        name.push(".tokens");
        name.into()
    }

    /// `role token` lines, control first.
    fn parse(text: &str, played: &[String]) -> Option<Tokens> {
        let mut found: BTreeMap<&str, Token> = BTreeMap::new();
        for line in text.lines() {
            let (role, hex) = line.split_once(' ')?;
            found.insert(role, Token::parse(hex.trim())?);
        }
        let control = found.remove("control")?;
        let players = played.iter().map(|o| Some((o.clone(), found.remove(o.as_str())?))).collect::<Option<_>>()?;
        Some(Tokens { control, players })
    }

    fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut text = format!("control {}\n", self.control.hex());
        for (org, t) in &self.players {
            text.push_str(&format!("{org} {}\n", t.hex()));
        }
        use std::os::unix::fs::PermissionsExt;
        let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?; // a file left from before too
        f.write_all(text.as_bytes())?;
        f.sync_all()
    }

    /// Tokens given by the caller (tests).
    pub fn new(control: Token, players: BTreeMap<String, Token>) -> Tokens {
        Tokens { control, players }
    }

    /// The token of a role, if it has one.
    pub fn of(&self, role: &Role) -> Option<&Token> {
        match role {
            Role::Control => Some(&self.control),
            Role::Player(org) => self.players.get(org),
        }
    }

    /// Whose token `presented` is. Every token is compared, each in constant time, so
    /// the time taken does not depend on which (if any) matched or how closely.
    pub fn role_of(&self, presented: &Token) -> Option<Role> {
        let mut found = None;
        if bool::from(self.control.0.ct_eq(&presented.0)) {
            found = Some(Role::Control);
        }
        for (org, token) in &self.players {
            if bool::from(token.0.ct_eq(&presented.0)) {
                found = Some(Role::Player(org.clone()));
            }
        }
        found
    }
}

/// Who sent a request: the role its token belongs to, or nobody.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller(pub Option<Role>);

/// Why a request was turned away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// No token, or one that belongs to no role (401).
    Unknown,
    /// A valid token of a role that may not do this (403).
    OtherRole,
}

impl Denied {
    pub fn status(self) -> StatusCode {
        match self {
            Denied::Unknown => StatusCode::UNAUTHORIZED,
            Denied::OtherRole => StatusCode::FORBIDDEN,
        }
    }
}

impl Caller {
    /// Passes only the role `wanted`.
    pub fn require(&self, wanted: &Role) -> Result<(), Denied> {
        match &self.0 {
            None => Err(Denied::Unknown),
            Some(role) if role == wanted => Ok(()),
            Some(_) => Err(Denied::OtherRole),
        }
    }
}

/// Where the server keeps the tokens, for the extractor.
pub trait HasTokens {
    fn tokens(&self) -> &Tokens;
}

impl<S: HasTokens + Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, Self::Rejection> {
        let role = presented(parts).and_then(|t| state.tokens().role_of(&t));
        Ok(Caller(role))
    }
}

/// The token a request presents: the `Authorization: Bearer` header first, else `?t=`.
fn presented(parts: &Parts) -> Option<Token> {
    let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if let Some(value) = header {
        let (scheme, rest) = value.trim().split_once(' ')?;
        return if scheme.eq_ignore_ascii_case("bearer") { Token::parse(rest.trim()) } else { None };
    }
    let query = parts.uri.query()?;
    query.split('&').find_map(|pair| pair.strip_prefix("t=")).and_then(Token::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_from_its_hex() {
        let t = Token::random().unwrap();
        let hex = t.hex();
        assert_eq!(hex.len(), 64);
        assert!(hex.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(Token::parse(&hex), Some(t.clone()));
        assert_eq!(Token::parse(&hex.to_uppercase()), Some(t));
        assert_eq!(Token::parse(&hex[..63]), None);
        assert_eq!(Token::parse(&format!("{}g", &hex[..63])), None);
    }

    #[test]
    fn two_random_tokens_differ_and_debug_hides_them() {
        let (a, b) = (Token::random().unwrap(), Token::random().unwrap());
        assert_ne!(a, b);
        assert!(!format!("{a:?}").contains(&a.hex()[..8]));
    }

    #[test]
    fn each_token_maps_to_its_own_role_only() {
        let orgs = vec!["lst".to_string(), "polisen".to_string()];
        let tokens = Tokens::generate(&orgs).unwrap();
        for role in [Role::Control, Role::Player("lst".into()), Role::Player("polisen".into())] {
            assert_eq!(tokens.role_of(tokens.of(&role).unwrap()), Some(role));
        }
        assert_eq!(tokens.role_of(&Token::random().unwrap()), None);
        let caller = Caller(Some(Role::Player("lst".into())));
        assert_eq!(caller.require(&Role::Player("lst".into())), Ok(()));
        assert_eq!(caller.require(&Role::Player("polisen".into())), Err(Denied::OtherRole));
        assert_eq!(caller.require(&Role::Control), Err(Denied::OtherRole));
        assert_eq!(Caller(None).require(&Role::Control), Err(Denied::Unknown));
    }
}
