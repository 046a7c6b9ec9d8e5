// @bear/legal: contract analysis that works offline, with or without a model.
export {};
