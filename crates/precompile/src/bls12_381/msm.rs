//! MSM pricing of EIP-2537: `k * mult_cost * discount(k) / 1000`, with the discount
//! read from a table for `k <= 128` and fixed at its last entry above.

/// Divisor of the discount tables.
pub const DISCOUNT_MULTIPLIER: u64 = 1000;

/// G1 MSM discount for `k = 1..=128` pairs (EIP-2537).
pub const G1_DISCOUNTS: [u16; 128] = [
    1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665,
    661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615,
    613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585,
    584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563,
    562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545,
    544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529,
    528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
];

/// G2 MSM discount for `k = 1..=128` pairs (EIP-2537).
pub const G2_DISCOUNTS: [u16; 128] = [
    1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704,
    699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632,
    629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593,
    592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568,
    567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549,
    548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534,
    533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
];

/// Price of an MSM of `k` pairs; 0 for `k = 0` (the call then fails on its length).
pub fn msm_gas(k: usize, mult_cost: u64, discounts: &[u16]) -> u64 {
    let Some(index) = k.checked_sub(1) else {
        return 0;
    };
    let discount = discounts.get(index).or(discounts.last()).copied().unwrap_or(1000);
    // usize -> u64 is lossless on every supported target.
    (k as u64).saturating_mul(mult_cost).saturating_mul(u64::from(discount)) / DISCOUNT_MULTIPLIER
}

#[cfg(all(test, feature = "blst"))]
mod tests {
    use super::*;
    use crate::bls12_381::{g1, g2};

    #[test]
    fn prices() {
        // One pair costs exactly one multiplication.
        assert_eq!(msm_gas(1, g1::MUL_GAS, &G1_DISCOUNTS), 12_000);
        assert_eq!(msm_gas(1, g2::MUL_GAS, &G2_DISCOUNTS), 22_500);
        // Worked in the vectors' README: k = 2 in G1, k = 3 in G2 (62302.5 floored).
        assert_eq!(msm_gas(2, g1::MUL_GAS, &G1_DISCOUNTS), 22_776);
        assert_eq!(msm_gas(3, g2::MUL_GAS, &G2_DISCOUNTS), 62_302);
        // Past the table the last discount applies: 519 and 524.
        assert_eq!(msm_gas(128, g1::MUL_GAS, &G1_DISCOUNTS), 128 * 12_000 * 519 / 1000);
        assert_eq!(msm_gas(1000, g1::MUL_GAS, &G1_DISCOUNTS), 1000 * 12_000 * 519 / 1000);
        assert_eq!(msm_gas(1000, g2::MUL_GAS, &G2_DISCOUNTS), 1000 * 22_500 * 524 / 1000);
        assert_eq!(msm_gas(0, g1::MUL_GAS, &G1_DISCOUNTS), 0);
        assert_eq!(msm_gas(usize::MAX, g2::MUL_GAS, &G2_DISCOUNTS), u64::MAX / 1000);
    }
}
