// Materialised profiles of a ProfileStore, handed out as the same object for the same doc while
// anyone holds it: the finder's market blocks (src/ranking/match-features.ts) recognise a
// market's candidates by object identity, and the directory's public JSON is cached per object
// (src/http/directory-json.ts). Weak references keep that identity without keeping 100k
// profiles alive; the last few materialised are held strongly, so a page asked for again soon
// finds its profiles (and their JSON) still there.
import type { Profile } from "../../partner/schema.js";
import type { ProfileStore } from "./profile-store.js";

/** Recently materialised profiles held strongly (a few directory pages' worth, ~1.5 KB each). */
const RECENT = 4096;

export function cachedProfiles(store: ProfileStore, recent = RECENT): (doc: number) => Profile {
  const ring: Profile[] = [];
  let next = 0;
  const keep = (p: Profile): Profile => {
    ring[next] = p;
    next = (next + 1) % recent;
    return p;
  };
  if (typeof WeakRef !== "function") {
    // A runtime without weak references (a Worker without the enable_weak_ref flag): every
    // profile built is kept, as the v1 snapshot's lazily parsed profiles were, since losing
    // identity would rebuild the finder's market block on every request.
    const built: (Profile | undefined)[] = new Array(store.n);
    return (d) => {
      let p = built[d];
      if (!p) {
        p = store.profileAt(d);
        built[d] = p;
      }
      return p;
    };
  }
  const refs: (WeakRef<Profile> | undefined)[] = new Array(store.n);
  return (d) => {
    const held = refs[d]?.deref();
    if (held) return held;
    const p = store.profileAt(d);
    refs[d] = new WeakRef(p);
    return keep(p);
  };
}
