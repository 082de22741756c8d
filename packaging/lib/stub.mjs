/**
 * CommonJS source of a stand-in for a package the product never calls (pulled in by a dependency for
 * a feature we do not use): any use throws, naming the package it is not part of.
 */
export function throwingStubSource(name, productPackage) {
  return `module.exports = new Proxy({}, { get(_, key) {
  if (key === '__esModule' || typeof key === 'symbol' || key === 'then') return undefined;
  throw new Error(${JSON.stringify(`${name} is not part of the ${productPackage} package`)});
} });
`;
}
