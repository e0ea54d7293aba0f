//! Hard forks.

use core::{fmt, str::FromStr};

/// An Ethereum hard fork. The order is chronological, so `a >= b` means "`a` includes `b`".
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(non_camel_case_types)]
pub enum SpecId {
    /// Frontier (2015).
    FRONTIER = 0,
    /// Homestead (EIP-2, EIP-7, EIP-8).
    HOMESTEAD,
    /// Tangerine Whistle (EIP-150 gas repricing).
    TANGERINE,
    /// Spurious Dragon (EIP-155, EIP-158/161, EIP-170).
    SPURIOUS_DRAGON,
    /// Byzantium.
    BYZANTIUM,
    /// Constantinople (with EIP-1283 net gas metering).
    CONSTANTINOPLE,
    /// Petersburg (Constantinople without EIP-1283; "ConstantinopleFix").
    PETERSBURG,
    /// Istanbul.
    ISTANBUL,
    /// Muir Glacier (difficulty bomb only).
    MUIR_GLACIER,
    /// Berlin (EIP-2929, EIP-2930).
    BERLIN,
    /// London (EIP-1559, EIP-3529, EIP-3541).
    LONDON,
    /// Arrow Glacier (difficulty bomb only).
    ARROW_GLACIER,
    /// Gray Glacier (difficulty bomb only).
    GRAY_GLACIER,
    /// Paris, the Merge (EIP-4399 PREVRANDAO).
    MERGE,
    /// Shanghai (PUSH0, initcode limit, warm coinbase).
    SHANGHAI,
    /// Cancun (transient storage, blobs, MCOPY, EIP-6780).
    CANCUN,
    /// Prague (EIP-7702, BLS12-381, EIP-7623, EIP-2935).
    PRAGUE,
    /// Osaka (CLZ, P256VERIFY, EIP-7825, EIP-7883, EIP-7918).
    #[default]
    OSAKA,
}

impl SpecId {
    /// Every fork, oldest first.
    pub const ALL: [SpecId; 18] = [
        Self::FRONTIER,
        Self::HOMESTEAD,
        Self::TANGERINE,
        Self::SPURIOUS_DRAGON,
        Self::BYZANTIUM,
        Self::CONSTANTINOPLE,
        Self::PETERSBURG,
        Self::ISTANBUL,
        Self::MUIR_GLACIER,
        Self::BERLIN,
        Self::LONDON,
        Self::ARROW_GLACIER,
        Self::GRAY_GLACIER,
        Self::MERGE,
        Self::SHANGHAI,
        Self::CANCUN,
        Self::PRAGUE,
        Self::OSAKA,
    ];

    /// The newest fork Lamina implements.
    pub const LATEST: SpecId = SpecId::OSAKA;

    /// Whether `other`'s rules are in force in `self` (`self` is `other` or later).
    #[inline]
    pub const fn is_enabled_in(self, other: SpecId) -> bool {
        self as u8 >= other as u8
    }

    /// The fork with index `n` in [`SpecId::ALL`].
    #[inline]
    pub const fn from_u8(n: u8) -> Option<SpecId> {
        if (n as usize) < Self::ALL.len() { Some(Self::ALL[n as usize]) } else { None }
    }

    /// The fork's name as the Ethereum test suites write it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::FRONTIER => "Frontier",
            Self::HOMESTEAD => "Homestead",
            Self::TANGERINE => "EIP150",
            Self::SPURIOUS_DRAGON => "EIP158",
            Self::BYZANTIUM => "Byzantium",
            Self::CONSTANTINOPLE => "Constantinople",
            Self::PETERSBURG => "ConstantinopleFix",
            Self::ISTANBUL => "Istanbul",
            Self::MUIR_GLACIER => "MuirGlacier",
            Self::BERLIN => "Berlin",
            Self::LONDON => "London",
            Self::ARROW_GLACIER => "ArrowGlacier",
            Self::GRAY_GLACIER => "GrayGlacier",
            Self::MERGE => "Paris",
            Self::SHANGHAI => "Shanghai",
            Self::CANCUN => "Cancun",
            Self::PRAGUE => "Prague",
            Self::OSAKA => "Osaka",
        }
    }
}

impl fmt::Display for SpecId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown fork name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSpec;

impl fmt::Display for UnknownSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown fork name")
    }
}

impl core::error::Error for UnknownSpec {}

impl FromStr for SpecId {
    type Err = UnknownSpec;

    /// Accepts the test-suite names (`EIP150`, `ConstantinopleFix`, `Merge`, …) and the
    /// common spellings of the fork names, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower: alloc::string::String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        Ok(match lower.as_str() {
            "frontier" => Self::FRONTIER,
            "homestead" => Self::HOMESTEAD,
            "eip150" | "tangerine" | "tangerinewhistle" => Self::TANGERINE,
            "eip158" | "spuriousdragon" => Self::SPURIOUS_DRAGON,
            "byzantium" => Self::BYZANTIUM,
            "constantinople" => Self::CONSTANTINOPLE,
            "constantinoplefix" | "petersburg" => Self::PETERSBURG,
            "istanbul" => Self::ISTANBUL,
            "muirglacier" => Self::MUIR_GLACIER,
            "berlin" => Self::BERLIN,
            "london" => Self::LONDON,
            "arrowglacier" => Self::ARROW_GLACIER,
            "grayglacier" => Self::GRAY_GLACIER,
            "paris" | "merge" => Self::MERGE,
            "shanghai" => Self::SHANGHAI,
            "cancun" => Self::CANCUN,
            "prague" => Self::PRAGUE,
            "osaka" => Self::OSAKA,
            _ => return Err(UnknownSpec),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_names_round_trip() {
        for pair in SpecId::ALL.windows(2) {
            assert!(pair[0] < pair[1]);
        }
        for spec in SpecId::ALL {
            assert_eq!(spec.name().parse::<SpecId>(), Ok(spec));
            assert_eq!(SpecId::from_u8(spec as u8), Some(spec));
        }
        assert_eq!(SpecId::from_u8(18), None);
    }

    #[test]
    fn test_suite_names() {
        let names = [
            ("Frontier", SpecId::FRONTIER),
            ("Homestead", SpecId::HOMESTEAD),
            ("EIP150", SpecId::TANGERINE),
            ("EIP158", SpecId::SPURIOUS_DRAGON),
            ("Byzantium", SpecId::BYZANTIUM),
            ("Constantinople", SpecId::CONSTANTINOPLE),
            ("ConstantinopleFix", SpecId::PETERSBURG),
            ("Istanbul", SpecId::ISTANBUL),
            ("Berlin", SpecId::BERLIN),
            ("London", SpecId::LONDON),
            ("Paris", SpecId::MERGE),
            ("Merge", SpecId::MERGE),
            ("Shanghai", SpecId::SHANGHAI),
            ("Cancun", SpecId::CANCUN),
            ("Prague", SpecId::PRAGUE),
            ("Osaka", SpecId::OSAKA),
        ];
        for (name, spec) in names {
            assert_eq!(name.parse::<SpecId>(), Ok(spec), "{name}");
        }
        assert_eq!("Amsterdam".parse::<SpecId>(), Err(UnknownSpec));
        assert!(SpecId::PETERSBURG.is_enabled_in(SpecId::CONSTANTINOPLE));
        assert!(!SpecId::CONSTANTINOPLE.is_enabled_in(SpecId::PETERSBURG));
    }
}
