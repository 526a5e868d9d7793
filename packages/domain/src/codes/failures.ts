// Every failure code of the contract (docs/contract/error-codes.json, the user's own list),
// plus the project code 7000. The name is the one the wire carries in `error`;
// the message is the document's sentence, word for word (a test keeps it so).
export const failures = {
  MissingOrInvalidFormat: {
    code: 1,
    message: 'Missing or invalid format - request not ending with .json or .xml',
  },
  RequestNotSigned: { code: 2, message: 'Request was not signed with OAuth Token' },
  InvalidSignature: { code: 4, message: 'Request was signed, but the signature was invalid' },
  UnknownUser: { code: 8, message: 'Request was signed, but the user is unknown' },
  NoActionSpecified: { code: 16, message: 'No action was specified' },
  PostRequired: { code: 32, message: 'A method that requires POST was requested using GET' },
  MissingParameter: { code: 128, message: 'Missing required parameter' },
  NotAnInteger: { code: 136, message: 'Parameter must be an integer and a non integer value was passed' },
  IntegerTooSmall: { code: 144, message: 'Integer value passed is too small' },
  IntegerTooBig: { code: 152, message: 'Integer value passed is too big' },
  NotAFloat: { code: 160, message: 'Parameter must be an float and a non float value was passed' },
  StringTooShort: { code: 192, message: 'String parameter is too short' },
  StringTooLong: { code: 200, message: 'String parameter is too long' },
  NoCredits: { code: 1000, message: 'User has no credits' },
  ServerError: { code: 1500, message: 'Generic Server Error' },
  CameraNotFound: { code: 2000, message: 'Camera not found' },
  NotCameraOwner: { code: 2001, message: 'Not owner of the camera' },
  LiveViewNotAvailable: { code: 2002, message: 'Live View not available for the camera' },
  LiveViewNotConnected: { code: 2003, message: 'Live View is not connected' },
  ItemNotFound: { code: 3000, message: 'Item not found' },
  ItemViewForbidden: { code: 3001, message: 'User does not have permission to view this item' },
  NotItemOwner: {
    code: 3002,
    message: 'User is not the owner of the item, required for delete, update, move, copy',
  },
  ItemAlreadyInFolder: { code: 3003, message: 'Item is already in the folder when attempting move, copy' },
  FolderNotUsers: {
    code: 3004,
    message: 'Folder does not belong to user when attempting move, copy, save_snapshot',
  },
  TargetFolderMissing: {
    code: 3005,
    message: 'Folder does not exist when attempting move, copy, save_snapshot',
  },
  AlreadySnapshot: { code: 3006, message: 'Item is already a snapshot when attempting save_snapshot' },
  IdentifierNotInClip: {
    code: 3007,
    message: 'Identifier is not part of the clip when attempting save_snapshot',
  },
  TrashWindowClosed: { code: 3008, message: 'Cannot restore item - too long in trash' },
  InvalidListDatetime: { code: 3009, message: 'Invalid datetime passed to get_list' },
  FolderNotFound: { code: 4000, message: 'Folder not found' },
  SubfoldersViewForbidden: {
    code: 4001,
    message: "User does not have permission to view this folder's subfolders",
  },
  NotFolderOwner: { code: 4002, message: 'User is not the owner of the folder' },
  AlreadyChildOfParent: {
    code: 4003,
    message: 'Folder is already a child of the parent folder when attempting move',
  },
  NameTakenOnRename: { code: 4004, message: 'Name already exists when attempting folder rename' },
  NameTakenOnCreate: { code: 4005, message: 'Name already exists when attempting folder create' },
  ParentFolderMissing: { code: 4100, message: 'Parent folder does not exist' },
  NotParentOwner: { code: 4102, message: 'User is not owner of parent folder' },
  NetworkNotFound: { code: 5000, message: 'Network not found' },
  NetworkHidden: {
    code: 5001,
    message:
      'User does not have permission to view the network details (i.e. network is hidden and user is not a member)',
  },
  NotNetworkMember: { code: 5002, message: 'User is not a member of the network' },
  NotNetworkOwner: { code: 5003, message: 'User is not the owner of the network' },
  InvalidNetworkType: { code: 5004, message: 'Invalid type passed to update' },
  NoFieldsToUpdate: { code: 5005, message: 'No fields passed when attempting update' },
  InvitationNotFound: { code: 5100, message: 'Invitation does not exist' },
  UnknownUsername: { code: 5101, message: 'Unknown username' },
  UserNotMember: { code: 5102, message: 'User not member of the network' },
  ThreadNotFound: { code: 5200, message: 'Thread not found' },
  ThreadAndNetworkBoth: {
    code: 5300,
    message: 'Passed both thread_id and network_id when attempting forum_postmessage',
  },
  NetworkNotPublic: { code: 5400, message: 'Network not public when attempting to join' },
  CamerasRequired: { code: 5401, message: 'The network requires cameras to join' },
  AlreadyMember: { code: 5402, message: 'User already is a member of network when attempting to join' },
  EmptyCameraList: { code: 5410, message: 'Empty cameras list in call to join network' },
  InvalidCameraId: { code: 5411, message: 'Invalid camera id in cameras list passed to join network' },
  UnknownCameraId: { code: 5412, message: 'Non-existent camera id in cameras list passed to join network' },
  CameraNotUsers: {
    code: 5413,
    message: 'Camera in cameras list does not belong to user when attempting to join network',
  },
  PrivateThreadNotFound: { code: 6000, message: 'Private message thread not found' },
  PrivateThreadViewForbidden: { code: 6001, message: 'User does not have permission to view the thread' },
  PrivateThreadReplyForbidden: {
    code: 6101,
    message: 'User does not have permission to reply to the thread',
  },
  MessageToSelf: { code: 6200, message: 'Cannot send private message to self' },
  RecipientNotFound: { code: 6201, message: 'Recipient of private message does not exist' },
  // Project code (DOMAIN.md, account.register): not in the user's catalogue.
  UsernameTaken: { code: 7000, message: 'Username is already taken' },
} as const;

export type FailureName = keyof typeof failures;
export type FailureCode = (typeof failures)[FailureName]['code'];
