// Success codes of DOMAIN.md §3. 10000 is the generic one; the rest say
// which specific thing happened so a client need not inspect the result.
export const successes = {
  Ok: { code: 10000, message: 'OK' },
  CameraUpdated: { code: 12000, message: 'Camera updated' },
  CameraDeleted: { code: 12100, message: 'Camera deleted' },
  ItemUpdated: { code: 13000, message: 'Item updated' },
  ItemFlagSet: { code: 13001, message: 'Item flag set' },
  ItemMoved: { code: 13002, message: 'Item moved' },
  ItemCopied: { code: 13003, message: 'Item copied' },
  ItemDeletedForGood: { code: 13100, message: 'Item deleted for good' },
  ItemMovedToTrash: { code: 13101, message: 'Item moved to trash' },
  SnapshotSaved: { code: 13200, message: 'Snapshot saved' },
  SnapshotAlreadySaved: { code: 13201, message: 'Snapshot already saved in that folder' },
  FolderRenamed: { code: 14000, message: 'Folder renamed' },
  FolderMoved: { code: 14002, message: 'Folder moved' },
  FolderDeleted: { code: 14100, message: 'Folder deleted' },
  InvitationAccepted: { code: 15100, message: 'Invitation accepted' },
  InvitationSent: { code: 15102, message: 'Invitation sent' },
  MemberRemoved: { code: 15103, message: 'Member removed' },
  NetworkLeft: { code: 15104, message: 'Network left' },
  NetworkJoined: { code: 15105, message: 'Network joined' },
  NetworkDeleted: { code: 15200, message: 'Network deleted' },
  JoinRequestApproved: { code: 15300, message: 'Join request approved' },
  JoinRequestDeclined: { code: 15301, message: 'Join request declined' },
  NetworkUpdated: { code: 15400, message: 'Network updated' },
  ForumReplyPosted: { code: 15500, message: 'Forum reply posted' },
  ForumThreadStarted: { code: 15501, message: 'Forum thread started' },
  PrivateReplySent: { code: 16500, message: 'Private reply sent' },
  PrivateMessageSent: { code: 16600, message: 'Private message sent' },
} as const;

export type SuccessName = keyof typeof successes;
export type SuccessCode = (typeof successes)[SuccessName]['code'];
