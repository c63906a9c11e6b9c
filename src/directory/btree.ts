/**
 * sorted-btree's B+ tree class. The package is CommonJS with `exports.default`: Node's ESM loader
 * hands a default import the whole exports object, other loaders the class itself.
 */
import sortedBTree from 'sorted-btree';

type BTreeClass = typeof import('sorted-btree').default;
export type BTree<K, V> = import('sorted-btree').default<K, V>;

const exported = sortedBTree as unknown as { default?: BTreeClass };
export const BTree: BTreeClass = exported.default ?? (sortedBTree as unknown as BTreeClass);
