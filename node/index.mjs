// ES module entry: `import { Fampage } from 'smmkit'`.
import smmkit from './index.js'

export const {
  PerfectPanel,
  Fampage,
  Sandbox,
  decode,
  quote,
  money,
  addon,
  errorCodes,
  wordLists,
  SmmError,
  ApiError,
  InvalidKeyError,
  InsufficientFundsError,
  IncorrectOrderIdError,
  IncorrectRefillIdError,
  IncorrectServiceError,
  QuantityOutOfRangeError,
  IncorrectLinkError,
  ActiveOrderOnLinkError,
  RefillNotPossibleError,
  CancelNotPossibleError,
  RateLimitedError,
  IncorrectRequestError,
  ValidationError,
  ConfigError,
  TransportError,
  TimeoutError,
  HttpStatusError,
  DecodeError,
  ResponseTooLargeError,
  OutcomeUnknownError,
} = smmkit

export default smmkit
