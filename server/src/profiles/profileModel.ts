// The language server's profiles, put together: the store (loaded profiles and the active state), the
// source resolver (profile file names → local files) and the projections (heat, lenses, hovers, top
// functions, pile-ups). A change of the store makes the other two start over; so does new configuration.

import type { ProfileState, UpdateProfileViewParams } from '../../../common/profileProtocol';
import type { SourceFileSystem } from '../../../core/profiles';
import { ProfileProjections, type ProjectionSettings } from './profileProjections';
import { ProfileStore, type ProfileFileHost } from './profileStore';
import { SourceResolver, type SourceSettings } from './sourceResolver';

/** The machine as the profiles see it (nodeProfileHost in the server). */
export interface ProfileHost extends ProfileFileHost {
  readonly fs: SourceFileSystem;
  /** GOROOT and GOMODCACHE (from `go env`), looked up once. */
  goLocations(): Promise<{ goroot?: string; gomodcache?: string }>;
}

export interface ProfileSettings extends SourceSettings, ProjectionSettings {
  readonly maxDecompressedBytes: number;
}

export class ProfileModel {
  readonly store: ProfileStore;
  readonly sources: SourceResolver;
  readonly projections: ProfileProjections;

  constructor(host: ProfileHost, workspaceFolders: readonly string[], settings: ProfileSettings) {
    this.store = new ProfileStore(host, settings.maxDecompressedBytes);
    this.sources = new SourceResolver(host, workspaceFolders, settings);
    this.projections = new ProfileProjections(this.store, this.sources, host, settings);
    this.store.onDidChange(async (change) => {
      this.projections.reset(change);
      await this.sources.refresh();
    });
  }

  /** New workspace folders or settings: sources resolve again, projections are rebuilt. */
  configure(workspaceFolders: readonly string[], settings: ProfileSettings): Promise<void> {
    this.store.setMaxDecompressedBytes(settings.maxDecompressedBytes);
    this.sources.configure(workspaceFolders, settings);
    this.projections.configure(settings);
    return this.store.changed({ loaded: false });
  }

  state(): ProfileState {
    return { ...this.store.snapshot(), total: this.projections.total() };
  }

  /**
   * Changes the view, or throws (a bad label filter, an incompatible base) with the view as it was: the
   * error is for the command that asked, and must not leave a broken view behind.
   */
  async updateView(change: UpdateProfileViewParams): Promise<void> {
    const before = this.store.snapshot();
    try {
      await this.applyView(change);
    } catch (error) {
      await this.store.update({ activeId: before.activeId, sampleIndex: before.sampleIndex, baseId: before.baseId, labelFilter: before.labelFilter }).catch(() => undefined);
      throw error;
    }
  }

  /** Changes the view and builds it, so that a bad filter or base throws now. */
  async applyView(change: UpdateProfileViewParams): Promise<void> {
    await this.store.update(change);
    this.projections.view();
  }
}
