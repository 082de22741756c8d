/** What the tree keeps of a retained message: aedes' packet, of which it reads only the topic. */
export interface RetainedPacket {
  topic: string;
}

interface TreeNode<P> {
  children: Map<string, TreeNode<P>>;
  packet?: P;
}

/**
 * Retained messages by topic level, so that a subscription finds its retained messages by walking the
 * levels its filter names instead of testing every retained topic (aedes' memory persistence does the
 * latter: with 20,000 retained messages, a reconnecting fleet of 10,000 devices subscribing to three
 * filters each made 600 million tests). Matching follows MQTT 3.1.1 section 4.7 as aedes applies it
 * to live messages (qlobber): `+` is one non-empty level, `#` (last) is the parent level and all
 * below, and a filter starting with a wildcard does not match topics starting with `$`.
 */
export class RetainedTree<P extends RetainedPacket> {
  private readonly root: TreeNode<P> = { children: new Map() };
  private count = 0;

  get size(): number {
    return this.count;
  }

  set(packet: P): void {
    let node = this.root;
    for (const level of packet.topic.split('/')) {
      let child = node.children.get(level);
      if (!child) {
        child = { children: new Map() };
        node.children.set(level, child);
      }
      node = child;
    }
    if (!node.packet) this.count++;
    node.packet = packet;
  }

  delete(topic: string): void {
    const path: [TreeNode<P>, string][] = [];
    let node = this.root;
    for (const level of topic.split('/')) {
      const child = node.children.get(level);
      if (!child) return;
      path.push([node, level]);
      node = child;
    }
    if (!node.packet) return;
    node.packet = undefined;
    this.count--;
    // Prune the branch the message leaves empty, so that deleted topics do not hold memory.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, level] = path[i] as [TreeNode<P>, string];
      const child = parent.children.get(level) as TreeNode<P>;
      if (child.packet || child.children.size > 0) break;
      parent.children.delete(level);
    }
  }

  /** The retained messages a subscription filter matches. */
  *match(filter: string): Generator<P> {
    yield* this.walk(this.root, filter.split('/'), 0);
  }

  private *walk(node: TreeNode<P>, levels: string[], i: number): Generator<P> {
    if (i === levels.length) {
      if (node.packet) yield node.packet;
      return;
    }
    const level = levels[i] as string;
    if (level === '#') {
      if (node.packet && i > 0) yield node.packet; // `a/#` matches `a`
      for (const [name, child] of node.children) {
        if (i === 0 && name.startsWith('$')) continue;
        yield* this.subtree(child);
      }
      return;
    }
    if (level === '+') {
      for (const [name, child] of node.children) {
        if (name === '' || (i === 0 && name.startsWith('$'))) continue;
        yield* this.walk(child, levels, i + 1);
      }
      return;
    }
    const child = node.children.get(level);
    if (child) yield* this.walk(child, levels, i + 1);
  }

  private *subtree(node: TreeNode<P>): Generator<P> {
    if (node.packet) yield node.packet;
    for (const child of node.children.values()) yield* this.subtree(child);
  }
}
