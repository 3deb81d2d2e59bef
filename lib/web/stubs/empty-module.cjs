// Stands in for optional packages that wallet SDKs import but ModelBounty never uses (e.g. Coinbase's @x402/*
// payment modules, pulled in through wagmi's Coinbase connector). Aliased in next.config.ts.
module.exports = {};
